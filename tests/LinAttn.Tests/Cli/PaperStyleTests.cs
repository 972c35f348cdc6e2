using LinAttn.Cli.Output.Plots;
using ScottPlot;

namespace LinAttn.Tests.Cli;

public sealed class PaperStyleTests
{
    [Theory]
    [InlineData(-1.0, 0.7, 4, 20)]      // under two decades: 1, 2, 5 of each decade
    [InlineData(-5.0, 2.0, 7, 12)]      // a normal loss panel: every power of ten
    [InlineData(-10.0, 37.0, 5, 10)]    // a diverging run: every few decades, not 47 overlapping labels
    public void LogY_LabelsAReadableNumberOfTicks(double low, double high, int fewest, int most)
    {
        var plot = new Plot();
        PaperStyle.LogY(plot, low, high);
        plot.Axes.SetLimitsY(low, high);
        plot.GetImage(460, 360).Dispose();   // rendering regenerates the visible ticks
        Tick[] labelled = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor && t.Position >= low && t.Position <= high).ToArray();
        Assert.InRange(labelled.Length, fewest, most);
        Assert.All(labelled, t => Assert.False(string.IsNullOrEmpty(t.Label)));
    }
}
