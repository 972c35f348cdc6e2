using LinAttn.AutoML;
using ScottPlot;

namespace LinAttn.Cli.Output;

/// <summary>The plots of <c>linattn tune</c> (PNG, no display needed): loss vs learning rate per optimizer (log-log, one
/// series per fidelity, diverged trials drawn as crosses at the top: the cliff), and the best loss so far vs steps spent.</summary>
internal static class TunePlots
{
    public static IReadOnlyList<string> Write(string folder, ExperimentResult result)
    {
        var files = new List<string>();
        foreach (OptimizerSummary o in result.Optimizers)
        {
            string path = Path.Combine(folder, $"loss-vs-lr-{o.Name}.png");
            SensitivityPlot(o).SavePng(path, 900, 560);
            files.Add(path);
        }
        string best = Path.Combine(folder, "best-so-far.png");
        BestSoFarPlot(result).SavePng(best, 900, 560);
        files.Add(best);
        return files;
    }

    private static Plot SensitivityPlot(OptimizerSummary o)
    {
        var plot = new Plot();
        var finite = o.SensitivityCurve.Where(p => double.IsFinite(p.Loss) && p.Loss > 0).ToList();
        double top = finite.Count > 0 ? Math.Log10(finite.Max(p => p.Loss)) + 0.3 : 1;
        foreach (var group in finite.GroupBy(p => p.Steps).OrderBy(g => g.Key))
        {
            var s = plot.Add.Scatter(group.Select(p => Math.Log10(p.LearningRate)).ToArray(), group.Select(p => Math.Log10(p.Loss)).ToArray());
            s.LineWidth = 0;
            s.MarkerSize = 8;
            s.LegendText = $"{group.Key} steps";
        }
        var diverged = o.SensitivityCurve.Where(p => p.Status == TrialStatus.Diverged).ToList();
        if (diverged.Count > 0)
        {
            var d = plot.Add.Scatter(diverged.Select(p => Math.Log10(p.LearningRate)).ToArray(), diverged.Select(_ => top).ToArray());
            d.LineWidth = 0;
            d.MarkerShape = MarkerShape.Cross;
            d.MarkerSize = 10;
            d.Color = Colors.Red;
            d.LegendText = "diverged";
        }
        if (o.DivergenceCliff is double cliff)
        {
            var line = plot.Add.VerticalLine(Math.Log10(cliff));
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Red;
        }
        plot.Title($"{o.Name}: loss vs learning rate (best lr {o.BestLearningRate:G3})");
        plot.XLabel("log10 learning rate");
        plot.YLabel("log10 evaluation MSE");
        plot.ShowLegend();
        return plot;
    }

    private static Plot BestSoFarPlot(ExperimentResult result)
    {
        var plot = new Plot();
        foreach (OptimizerSummary o in result.Optimizers)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            long steps = 0;
            double best = double.PositiveInfinity;
            foreach (TrialResult t in result.Trials.Where(t => t.Parameter.Optimizer == o.Name && t.Phase != TrialPhase.Confirmation).OrderBy(t => t.TrialId))
            {
                steps += t.Steps;
                if (t.Status == TrialStatus.Completed && t.Steps == t.MaxSteps && t.Phase != TrialPhase.Probe && t.Loss < best) best = t.Loss;
                if (double.IsFinite(best))
                {
                    xs.Add(steps);
                    ys.Add(Math.Log10(best));
                }
            }
            if (xs.Count == 0) continue;
            var s = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            s.ConnectStyle = ConnectStyle.StepHorizontal;
            s.LegendText = o.Name;
        }
        plot.Title("Best full-budget loss so far vs training steps spent (trial-id order)");
        plot.XLabel("search steps spent on the optimizer");
        plot.YLabel("log10 best evaluation MSE");
        plot.ShowLegend();
        return plot;
    }
}
