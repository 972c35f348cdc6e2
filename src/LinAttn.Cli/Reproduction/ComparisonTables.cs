using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Cli.Output.Reports;
using LinAttn.Training;

namespace LinAttn.Cli.Reproduction;

/// <summary>Writes every curve and table of a recipe's comparisons as CSV (long format: one row per variant, optimizer,
/// seed and step), only for the diagnostics that were computed.</summary>
internal static class ComparisonTables
{
    public static void Write(RecipeContext context, IReadOnlyList<ComparisonResult> results)
    {
        var loss = new CsvTable("variant", "optimizer", "seed", "step", "eval_loss");
        var lossBands = new CsvTable("variant", "optimizer", "step", "mean", "std", "seeds");
        var runs = new CsvTable("variant", "optimizer", "seed", "status", "skipped_steps", "final_eval_loss", "training_seconds", "diagnostics_seconds");
        var condition = new CsvTable("variant", "optimizer", "seed", "step", "r_med_diagonal", "r_med_eigenvalues", "lambda_max");
        var conditionBands = new CsvTable("variant", "optimizer", "definition", "step", "mean", "std", "seeds");
        var ratios = new CsvTable("variant", "definition", "step", "mean", "std", "per_seed");
        var spectra = new CsvTable("variant", "optimizer", "seed", "step", "index", "eigenvalue");
        var smoothness = new CsvTable("variant", "optimizer", "seed", "step", "directional_smoothness", "eval_grad_norm");
        var smoothnessBands = new CsvTable("variant", "optimizer", "step", "mean", "std", "seeds");
        foreach (ComparisonResult r in results)
        {
            string v = r.Variant.Label;
            foreach (OptimizerKind o in OptimizerComparison.Optimizers)
            {
                string name = OptimizerOptions.ShortName(o);
                foreach (TrajectoryResult run in r.Runs(o))
                {
                    for (int i = 0; i < run.EvaluationSteps.Length; i++) loss.Add(v, name, run.Seed, run.EvaluationSteps[i], run.EvaluationLoss[i]);
                    runs.Add(v, name, run.Seed, run.Status.ToString(), run.SkippedSteps.Length, run.FinalLoss, run.TrainingSeconds, run.DiagnosticsSeconds);
                    for (int i = 0; i < run.ConditionSteps.Length; i++)
                        condition.Add(v, name, run.Seed, run.ConditionSteps[i], run.ConditionDiagonal[i], run.ConditionEigenvalues[i], run.LargestEigenvalue[i]);
                    for (int s = 0; s < run.SpectrumSteps.Length; s++)
                        for (int i = 0; i < run.Spectra[s].Length; i++) spectra.Add(v, name, run.Seed, run.SpectrumSteps[s], i, run.Spectra[s][i]);
                    for (int i = 0; i < run.SmoothnessSteps.Length; i++)
                        smoothness.Add(v, name, run.Seed, run.SmoothnessSteps[i], run.Smoothness[i], run.SmoothnessGradientNorm[i]);
                }
                if (r.Runs(o).Count == 0) continue;
                AddBand(lossBands, r.LossBand(o), v, name, null);
                foreach (RobustConditionDefinition d in Enum.GetValues<RobustConditionDefinition>())
                    AddBand(conditionBands, r.ConditionBand(o, d), v, name, Definition(d));
                AddBand(smoothnessBands, r.SmoothnessBand(o), v, name, null);
            }
            foreach (RobustConditionDefinition d in Enum.GetValues<RobustConditionDefinition>())
            {
                foreach (int step in r.Sgdm.SelectMany(x => x.ConditionSteps).Distinct().Order())
                {
                    RatioSummary ratio = r.ConditionRatio(step, d);
                    ratios.Add(v, Definition(d), step, ratio.Mean, ratio.StandardDeviation, string.Join(";", ratio.PerSeed.Select(Fmt.G)));
                }
            }
        }
        Save(context, "loss.csv", loss);
        Save(context, "loss-bands.csv", lossBands);
        Save(context, "runs.csv", runs);
        Save(context, "condition.csv", condition);
        Save(context, "condition-bands.csv", conditionBands);
        Save(context, "condition-ratios.csv", ratios);
        Save(context, "spectra.csv", spectra);
        Save(context, "smoothness.csv", smoothness);
        Save(context, "smoothness-bands.csv", smoothnessBands);
        WriteNoise(context, results.Where(r => r.NoiseStatistics is not null).Select(r => (r.Variant.Label, r.NoiseStatistics!)).ToList());
    }

    public static void WriteNoise(RecipeContext context, IReadOnlyList<(string Label, GradientNoiseResult Noise)> noises)
    {
        if (noises.Count == 0) return;
        var norms = new CsvTable("variant", "index", "norm");
        var summary = new CsvTable("variant", "count", "mean", "std", "median", "skewness", "excess_kurtosis", "q90_over_median",
            "q99_over_median", "q999_over_median", "hill_index", "hill_k", "hill_se", "full_gradient_norm", "seconds");
        var histogram = new CsvTable("variant", "bin_left", "bin_right", "count", "density");
        var qq = new CsvTable("variant", "theoretical", "ordered", "line_slope", "line_intercept");
        foreach (var (label, n) in noises)
        {
            for (int i = 0; i < n.Norms.Count; i++) norms.Add(label, i, n.Norms[i]);
            TailSummary t = n.Tails;
            summary.Add(label, t.Count, t.Mean, t.StandardDeviation, t.Median, t.Skewness, t.ExcessKurtosis, t.Ratio90, t.Ratio99, t.Ratio999,
                t.Hill?.TailIndex, t.Hill?.K, t.Hill?.StandardError, n.FullGradientNorm, n.Seconds);
            for (int i = 0; i < n.Histogram.Bins; i++) histogram.Add(label, n.Histogram.Edges[i], n.Histogram.Edges[i + 1], n.Histogram.Counts[i], n.Histogram.Density[i]);
            for (int i = 0; i < n.QuantilePlot.Theoretical.Count; i++)
                qq.Add(label, n.QuantilePlot.Theoretical[i], n.QuantilePlot.Ordered[i], n.QuantilePlot.Slope, n.QuantilePlot.Intercept);
        }
        Save(context, "noise.csv", norms);
        Save(context, "noise-summary.csv", summary);
        Save(context, "noise-histogram.csv", histogram);
        Save(context, "noise-qq.csv", qq);
    }

    public static string Definition(RobustConditionDefinition d) => d == RobustConditionDefinition.AbsoluteDiagonal ? "diagonal" : "eigenvalues";

    private static void AddBand(CsvTable table, SeedBand band, string variant, string optimizer, string? definition)
    {
        for (int i = 0; i < band.Steps.Count; i++)
        {
            if (definition is null) table.Add(variant, optimizer, band.Steps[i], band.Mean[i], band.StandardDeviation[i], band.Counts[i]);
            else table.Add(variant, optimizer, definition, band.Steps[i], band.Mean[i], band.StandardDeviation[i], band.Counts[i]);
        }
    }

    private static void Save(RecipeContext context, string file, CsvTable table)
    {
        if (table.RowCount > 0) table.Write(context.PathOf(file));
    }
}
