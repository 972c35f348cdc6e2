using LinAttn.Cli.Output.Plots;
using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Training;
using ScottPlot;

namespace LinAttn.Cli.Reproduction;

/// <summary>The paper's panels for a row of comparisons (one column per variant): loss curves, noise histograms with
/// Q-Q plots, R_med curves and directional smoothness curves, SGDM black vs Adam red, mean with shaded std.</summary>
internal static class ComparisonFigures
{
    public static string Loss(RecipeContext context, string file, IReadOnlyList<ComparisonResult> results, Func<ComparisonResult, string> title)
    {
        Plot[] panels = results.Select(r => BandPlot.Create(title(r), "Evaluation loss", Series(r, o => r.LossBand(o)), 0.25, logY: true)).ToArray();
        PaperStyle.Save(context.PathOf(file), panels, panels.Length);
        return file;
    }

    public static string Condition(RecipeContext context, string file, IReadOnlyList<ComparisonResult> results, Func<ComparisonResult, string> title,
        RobustConditionDefinition definition = RobustConditionDefinition.AbsoluteDiagonal)
    {
        Plot[] panels = results.Select(r => BandPlot.Create(title(r), "R_med", Series(r, o => r.ConditionBand(o, definition)), 0.5, logY: true)).ToArray();
        PaperStyle.Save(context.PathOf(file), panels, panels.Length);
        return file;
    }

    public static string Smoothness(RecipeContext context, string file, IReadOnlyList<ComparisonResult> results, Func<ComparisonResult, string> title)
    {
        Plot[] panels = results.Select(r => BandPlot.Create(title(r), "Directional smoothness", Series(r, o => r.SmoothnessBand(o)), 0.25, logY: true)).ToArray();
        PaperStyle.Save(context.PathOf(file), panels, panels.Length);
        return file;
    }

    /// <summary>Row 1: density histograms; row 2: normal Q-Q plots.</summary>
    public static string Noise(RecipeContext context, string file, IReadOnlyList<(string Title, GradientNoiseResult Noise)> noises)
    {
        var panels = noises.Select(n => NoisePlot.Histogram(n.Title, n.Noise)).Concat(noises.Select(n => NoisePlot.QuantileQuantile(n.Title + ": normal Q-Q", n.Noise))).ToArray();
        PaperStyle.Save(context.PathOf(file), panels, noises.Count);
        return file;
    }

    public static IEnumerable<(string, Color, SeedBand)> Series(ComparisonResult result, Func<OptimizerKind, SeedBand> band)
        => OptimizerComparison.Optimizers.Where(o => result.Runs(o).Count > 0).Select(o => (PaperStyle.Label(o), PaperStyle.Of(o), band(o)));
}
