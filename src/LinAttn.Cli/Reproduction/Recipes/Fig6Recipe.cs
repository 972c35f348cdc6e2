using LinAttn.Cli.Output.Plots;
using LinAttn.Cli.Output.Reports;
using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Model;
using LinAttn.Training;
using ScottPlot;

namespace LinAttn.Cli.Reproduction.Recipes;

/// <summary>Fig. 6 (right three panels): log gradient norm against log directional smoothness along Adam's trajectory
/// (seed 1, lr 0.02, clipped) in Settings 1–3, with fitted (L0, L1) bounds.</summary>
internal sealed class Fig6Recipe : Recipe
{
    private static readonly string[] Presets = { "setting1", "setting2", "setting3" };

    public override string Name => "fig6";

    public override string Title => "Figure 6: gradient norm vs directional smoothness along Adam's trajectory ((L0, L1)-smoothness)";

    private static (int Steps, int Every) Size(ReproductionProfile profile) => profile switch
    {
        ReproductionProfile.Full => (2000, 1),
        ReproductionProfile.Quick => (1000, 4),
        _ => (40, 2),
    };

    private static IReadOnlyList<(string Key, RunSpec Spec, TrajectoryOptions Options)> Studies(ReproductionProfile profile, int? threads)
    {
        var (steps, every) = Size(profile);
        Scale scale = Scale.Paper(profile);
        return Presets.Select(p =>
        {
            RunSpec spec = PaperPresets.Get(p, OptimizerKind.Adam, seed: 1);
            spec = spec with
            {
                Training = spec.Training with
                {
                    Steps = steps, BatchSize = scale.BatchSize, EvaluationBatchSize = scale.EvaluationBatchSize, EvaluateEvery = scale.EvaluateEvery, Threads = threads,
                },
            };
            var options = new TrajectoryOptions { SmoothnessSteps = TrajectoryOptions.Every(every, steps - 1), SmoothnessGradientNorms = true };
            return ($"{p}-adam-seed1-smoothness", spec, options);
        }).ToList();
    }

    public override WorkPlan Plan(ReproductionProfile profile, int? threads, Precision noisePrecision)   // no noise here
    {
        var plan = new WorkPlan();
        foreach (var (key, spec, options) in Studies(profile, threads)) plan.Add(key, spec, options);
        return plan;
    }

    public override void Run(RecipeContext context, RecipeReport report)
    {
        var studies = Studies(context.Profile, context.Threads);
        var (steps, every) = Size(context.Profile);
        var pairs = new CsvTable("setting", "step", "eval_grad_norm", "directional_smoothness");
        var fits = new CsvTable("setting", "method", "level", "L0", "L1", "fraction_below", "spearman_log_log", "log_log_slope", "pairs", "positive_pairs");
        var panels = new List<Plot>();
        var rows = new List<IReadOnlyList<string>>();
        report.Paragraph($"Adam (lr 0.02, β = (0.9, 0.9), clipping at 1), seed 1, {steps} steps; at every {(every == 1 ? "" : every + "th ")}iteration t the " +
            "gradient norm ‖∇f(θ_t)‖ and the directional smoothness DS_t on the fixed evaluation batch. The paper plots t = 0…1998 (every iteration). " +
            "Pairs with DS_t ≤ 0 cannot be drawn on log axes and are left out of the plot and the correlation, but kept in the fits.");
        foreach (var (key, spec, options) in studies)
        {
            TrajectoryResult run = context.Trajectory(key, spec, options);
            for (int i = 0; i < run.SmoothnessSteps.Length; i++) pairs.Add(spec.Name, run.SmoothnessSteps[i], run.SmoothnessGradientNorm[i], run.Smoothness[i]);
            SmoothnessFit quantile = GeneralizedSmoothness.Fit(run.SmoothnessGradientNorm, run.Smoothness, SmoothnessFitMethod.Quantile, 0.95);
            SmoothnessFit envelope = GeneralizedSmoothness.Fit(run.SmoothnessGradientNorm, run.Smoothness, SmoothnessFitMethod.UpperEnvelope);
            foreach (SmoothnessFit f in new[] { quantile, envelope })
                fits.Add(spec.Name, f.Method.ToString(), f.Level, f.L0, f.L1, f.FractionBelow, f.Spearman, f.LogLogSlope, f.Count, f.PositiveCount);
            panels.Add(SmoothnessScatterPlot.Create($"Adam, {spec.Name}", run.SmoothnessSteps, run.SmoothnessGradientNorm, run.Smoothness, quantile.L0, quantile.L1));
            double[] logG = run.SmoothnessGradientNorm.Where(v => v > 0).Select(v => Math.Log(v)).ToArray();
            double[] logS = run.Smoothness.Where(v => v > 0).Select(v => Math.Log(v)).ToArray();
            string ranges = $"log|g| {Fmt.F(logG.Max(), 1)} → {Fmt.F(logG.Min(), 1)}, log DS {Fmt.F(logS.Max(), 1)} → {Fmt.F(logS.Min(), 1)}";
            rows.Add(new[] { spec.Name, Fmt.F(quantile.Spearman), Fmt.F(quantile.LogLogSlope), $"{Fmt.G(quantile.L0)}, {Fmt.G(quantile.L1)}",
                $"{Fmt.G(envelope.L0)}, {Fmt.G(envelope.L1)}", ranges, $"{quantile.PositiveCount}/{quantile.Count}" });
            report.Claims.Add(new Claim($"{spec.Name}-l0l1", $"{spec.Name}: log gradient norm and log directional smoothness are positively correlated along Adam's trajectory",
                double.IsFinite(quantile.Spearman) ? quantile.Spearman > 0 : null,
                $"Spearman {Fmt.F(quantile.Spearman)}, log-log slope {Fmt.F(quantile.LogLogSlope)}; fitted L0 = {Fmt.G(quantile.L0)}, L1 = {Fmt.G(quantile.L1)} (95% quantile)",
                spec.Name == "setting1"
                    ? "positive, roughly linear trend; log|g| ≈ 4 → −4 and log DS ≈ 4 → −2…−5"
                    : "positive correlation, (L0, L1) behaviour \"to a certain extent\""));
        }
        pairs.Write(context.PathOf("smoothness-gradnorm.csv"));
        fits.Write(context.PathOf("smoothness-fits.csv"));
        PaperStyle.Save(context.PathOf("fig6-smoothness-vs-gradnorm.png"), panels, panels.Count);
        report.Image("fig6-smoothness-vs-gradnorm.png", "log(‖∇f(θ_t)‖) vs log(DS_t), coloured by iteration; dashed red: the fitted 95%-quantile bound L0 + L1‖∇f‖.");
        report.Table(new[] { "setting", "Spearman", "log-log slope", "L0, L1 (95% quantile)", "L0, L1 (upper envelope)", "ranges (natural log)", "DS > 0" }, rows);
    }
}
