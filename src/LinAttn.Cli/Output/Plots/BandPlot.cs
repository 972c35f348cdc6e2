using LinAttn.Diagnostics;
using ScottPlot;

namespace LinAttn.Cli.Output.Plots;

/// <summary>Curves of a quantity against iteration, one mean line per series with a shaded band of ± factor·std
/// (the paper: std/4 for loss and directional smoothness, std/2 for R_med), optionally on a log Y axis (values ≤ 0
/// are left out there, as the paper's log of a negative directional smoothness is undefined).</summary>
internal static class BandPlot
{
    public static Plot Create(string title, string yLabel, IEnumerable<(string Label, Color Color, SeedBand Band)> series, double shadeFactor, bool logY)
    {
        var plot = new Plot();
        foreach (var (label, color, band) in series)
        {
            var xs = new List<double>();
            var mean = new List<double>();
            var lo = new List<double>();
            var hi = new List<double>();
            for (int i = 0; i < band.Steps.Count; i++)
            {
                double m = band.Mean[i], s = double.IsFinite(band.StandardDeviation[i]) ? band.StandardDeviation[i] * shadeFactor : 0;
                if (!double.IsFinite(m) || (logY && m <= 0)) continue;
                double low = m - s, high = m + s;
                if (logY)
                {
                    low = low > 0 ? Math.Log10(low) : Math.Log10(m) - 1;   // a band reaching 0 is clipped one decade below
                    high = Math.Log10(high);
                    m = Math.Log10(m);
                }
                xs.Add(band.Steps[i]);
                mean.Add(m);
                lo.Add(low);
                hi.Add(high);
            }
            if (xs.Count == 0) continue;
            if (shadeFactor > 0 && xs.Count > 1)
            {
                var fill = plot.Add.FillY(xs.ToArray(), lo.ToArray(), hi.ToArray());
                fill.FillColor = color.WithAlpha(0.22);
                fill.LineWidth = 0;
            }
            var line = plot.Add.ScatterLine(xs.ToArray(), mean.ToArray());
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = xs.Count <= 12 ? 6 : 0;
            line.LegendText = label;
        }
        PaperStyle.Labels(plot, title, "Iteration", yLabel);
        if (logY) PaperStyle.LogY(plot);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
