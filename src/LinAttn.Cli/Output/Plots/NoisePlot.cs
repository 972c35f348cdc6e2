using LinAttn.Diagnostics;
using ScottPlot;

namespace LinAttn.Cli.Output.Plots;

/// <summary>The paper's stochastic-gradient-noise panel (density histogram of ‖g_B − g_full‖, x "Gradient error",
/// y "Density") and the normal Q-Q panel (ordered values in blue, fitted line in red, as scipy's probplot).</summary>
internal static class NoisePlot
{
    public static Plot Histogram(string title, GradientNoiseResult noise, Color? color = null)
    {
        var plot = new Plot();
        Histogram h = noise.Histogram;
        double width = h.Edges[1] - h.Edges[0];
        var bars = plot.Add.Bars(Enumerable.Range(0, h.Bins).Select(h.Center).ToArray(), h.Density.ToArray());
        foreach (Bar bar in bars.Bars)
        {
            bar.Size = width;
            bar.FillColor = color ?? Colors.SteelBlue;
            bar.LineWidth = 0;
        }
        TailSummary t = noise.Tails;
        var note = plot.Add.Text($"kurtosis {t.ExcessKurtosis:F2}\nskew {t.Skewness:F2}\nHill α {t.Hill?.TailIndex:F1}", h.Edges[^1], h.Density.Max());
        note.Alignment = Alignment.UpperRight;
        note.LabelFontSize = 12;
        PaperStyle.Labels(plot, title, "Gradient error", "Density");
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    public static Plot QuantileQuantile(string title, GradientNoiseResult noise)
    {
        var plot = new Plot();
        NormalQuantilePlot qq = noise.QuantilePlot;
        var points = plot.Add.Markers(qq.Theoretical.ToArray(), qq.Ordered.ToArray(), MarkerShape.FilledCircle, 3, Colors.Blue);
        points.LegendText = "ordered values";
        double x0 = qq.Theoretical[0], x1 = qq.Theoretical[^1];
        var line = plot.Add.Line(x0, qq.Slope * x0 + qq.Intercept, x1, qq.Slope * x1 + qq.Intercept);
        line.Color = Colors.Red;
        line.LineWidth = 2;
        line.LegendText = $"least-squares line (r = {qq.Correlation:F3})";
        PaperStyle.Labels(plot, title, "Theoretical quantiles (normal)", "Ordered values");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
