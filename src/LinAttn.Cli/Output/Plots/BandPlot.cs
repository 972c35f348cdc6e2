using LinAttn.Diagnostics;
using ScottPlot;

namespace LinAttn.Cli.Output.Plots;

/// <summary>Curves of a quantity, one mean line per series with a shaded band of ± factor·std (the paper: std/4 for
/// loss and directional smoothness, std/2 for R_med), optionally on a log Y axis (values ≤ 0 are left out there, as
/// the paper's log of a negative directional smoothness is undefined).</summary>
internal static class BandPlot
{
    /// <summary>One series: x values with the mean and standard deviation at each.</summary>
    public sealed record Series(string Label, Color Color, IReadOnlyList<double> X, IReadOnlyList<double> Mean, IReadOnlyList<double> StandardDeviation);

    /// <summary>Against iteration, from seed bands.</summary>
    public static Plot Create(string title, string yLabel, IEnumerable<(string Label, Color Color, SeedBand Band)> series, double shadeFactor, bool logY)
        => Create(title, "Iteration", yLabel,
            series.Select(s => new Series(s.Label, s.Color, s.Band.Steps.Select(t => (double)t).ToArray(), s.Band.Mean, s.Band.StandardDeviation)),
            shadeFactor, logY);

    /// <summary>Against any x.</summary>
    public static Plot Create(string title, string xLabel, string yLabel, IEnumerable<Series> series, double shadeFactor, bool logY)
    {
        var plot = new Plot();
        double bottom = double.PositiveInfinity, top = double.NegativeInfinity;
        foreach (Series s in series)
        {
            var xs = new List<double>();
            var mean = new List<double>();
            var lo = new List<double>();
            var hi = new List<double>();
            for (int i = 0; i < s.X.Count; i++)
            {
                double m = s.Mean[i], d = double.IsFinite(s.StandardDeviation[i]) ? s.StandardDeviation[i] * shadeFactor : 0;
                if (!double.IsFinite(m) || (logY && m <= 0)) continue;
                double low = m - d, high = m + d;
                if (logY)
                {
                    low = low > 0 ? Math.Log10(low) : Math.Log10(m) - 1;   // a band reaching 0 is clipped one decade below
                    high = Math.Log10(high);
                    m = Math.Log10(m);
                }
                xs.Add(s.X[i]);
                mean.Add(m);
                lo.Add(low);
                hi.Add(high);
            }
            if (xs.Count == 0) continue;
            bottom = Math.Min(bottom, lo.Min());
            top = Math.Max(top, hi.Max());
            if (shadeFactor > 0 && xs.Count > 1)
            {
                var fill = plot.Add.FillY(xs.ToArray(), lo.ToArray(), hi.ToArray());
                fill.FillColor = s.Color.WithAlpha(0.22);
                fill.LineWidth = 0;
            }
            var line = plot.Add.ScatterLine(xs.ToArray(), mean.ToArray());
            line.Color = s.Color;
            line.LineWidth = 2;
            line.MarkerSize = xs.Count <= 12 ? 6 : 0;
            line.LegendText = s.Label;
        }
        PaperStyle.Labels(plot, title, xLabel, yLabel);
        if (logY) PaperStyle.LogY(plot, bottom, top);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
