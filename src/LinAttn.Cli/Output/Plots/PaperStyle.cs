using System.Globalization;
using LinAttn.Training;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LinAttn.Cli.Output.Plots;

/// <summary>The paper's plot conventions: SGDM black, Adam red; log axes drawn as log10 of the data with 1e-k labels
/// and log-spaced minor ticks; one figure of several panels saved as a PNG.</summary>
internal static class PaperStyle
{
    public const int PanelWidth = 460;
    public const int PanelHeight = 360;

    public static Color Of(OptimizerKind optimizer) => optimizer == OptimizerKind.Adam ? Colors.Red : Colors.Black;

    public static string Label(OptimizerKind optimizer) => optimizer == OptimizerKind.Adam ? "Adam" : "SGDM";

    /// <summary>A palette for series that are not optimizers (depths, covariate laws, attention kinds).</summary>
    public static Color Series(int index) => new[] { Colors.Black, Colors.Red, Colors.Blue, Colors.Green, Colors.Orange, Colors.Purple }[index % 6];

    /// <summary>Declares the Y axis logarithmic: data must be plotted as log10(value), spanning [low, high] in log10.
    /// Labels sit at powers of ten, also at 2 and 5 times them when the data span less than two decades, and at every
    /// integer multiple below half a decade (so a panel never ends up with a single label); minor ticks elsewhere.
    /// Over more than 12 decades (a diverging run) only every few decades are labelled, at most about 8 labels.</summary>
    public static void LogY(Plot plot, double low, double high)
    {
        if (!(high >= low)) return;
        var ticks = new NumericManual();
        double span = high - low;
        int every = span > 12 ? (int)Math.Ceiling(span / 8) : 1;
        for (int k = (int)Math.Floor(low) - 1; k <= (int)Math.Ceiling(high) + 1; k++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double position = k + Math.Log10(m);
                if (every > 1 && m > 1) continue;   // minor ticks per unit would be a solid bar at this scale
                bool labelled = (m == 1 && k % every == 0) || (span < 2 && m is 2 or 5) || span < 0.5;
                if (labelled) ticks.AddMajor(position, Label(m, k));
                else ticks.AddMinor(position);
            }
        }
        plot.Axes.Left.TickGenerator = ticks;
    }

    public static void Labels(Plot plot, string title, string x, string y)
    {
        plot.Title(title, 14);
        plot.XLabel(x, 13);
        plot.YLabel(y, 13);
    }

    /// <summary>Saves <paramref name="panels"/> as one PNG laid out in <paramref name="columns"/> columns.</summary>
    public static void Save(string path, IReadOnlyList<Plot> panels, int columns)
    {
        int rows = (panels.Count + columns - 1) / columns;
        var figure = new Multiplot(panels[0]);   // the parameterless constructor starts with an empty plot
        foreach (Plot panel in panels.Skip(1)) figure.AddPlot(panel);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        figure.SavePng(path, columns * PanelWidth, rows * PanelHeight);
    }

    private static string Label(int mantissa, int exponent)
        => exponent is >= -2 and <= 2
            ? (mantissa * Math.Pow(10, exponent)).ToString("0.##", CultureInfo.InvariantCulture)
            : $"{mantissa}e{exponent.ToString(CultureInfo.InvariantCulture)}";
}
