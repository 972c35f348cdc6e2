using ScottPlot;

namespace LinAttn.Cli.Output.Plots;

/// <summary>The paper's Fig. 6 panel: log(gradient norm) against log(directional smoothness), one point per iteration,
/// coloured by iteration (viridis, with a colour bar), and the fitted (L0, L1) bound drawn as a curve.</summary>
internal static class SmoothnessScatterPlot
{
    public static Plot Create(string title, IReadOnlyList<int> steps, IReadOnlyList<double> gradientNorms, IReadOnlyList<double> smoothness, double l0, double l1)
    {
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Viridis();
        double first = steps.Count > 0 ? steps[0] : 0, last = steps.Count > 0 ? Math.Max(steps[^1], first + 1) : 1;
        const int groups = 24;   // points coloured in 24 iteration groups: one plottable per group
        for (int g = 0; g < groups; g++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < steps.Count; i++)
            {
                int group = Math.Min(groups - 1, (int)((steps[i] - first) / (last - first + 1e-9) * groups));
                if (group != g || !(smoothness[i] > 0) || !(gradientNorms[i] > 0)) continue;
                xs.Add(Math.Log(gradientNorms[i]));
                ys.Add(Math.Log(smoothness[i]));
            }
            if (xs.Count > 0) plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, 4, colormap.GetColor((g + 0.5) / groups));
        }
        double[] logG = gradientNorms.Where(v => v > 0).Select(v => Math.Log(v)).ToArray();
        if (logG.Length > 1 && (l0 > 0 || l1 > 0))
        {
            double lo = logG.Min(), hi = logG.Max();
            double[] xs = Enumerable.Range(0, 100).Select(i => lo + (hi - lo) * i / 99).ToArray();
            var bound = plot.Add.ScatterLine(xs, xs.Select(x => Math.Log(l0 + l1 * Math.Exp(x))).ToArray());
            bound.Color = Colors.Red;
            bound.LineWidth = 2;
            bound.LinePattern = LinePattern.Dashed;
            bound.LegendText = $"L0 + L1·|g|: L0 = {l0:G3}, L1 = {l1:G3}";
            plot.ShowLegend(Alignment.LowerRight);
        }
        var bar = plot.Add.ColorBar(new IterationColorAxis(colormap, first, last), Edge.Right);
        bar.Label = "Iteration";
        PaperStyle.Labels(plot, title, "log(gradient norm)", "log(directional smoothness)");
        return plot;
    }
}
