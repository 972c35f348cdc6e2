using ScottPlot;

namespace LinAttn.Cli.Output.Plots;

/// <summary>A colour axis for a colour bar keyed by iteration (ScottPlot's colour bars read any <see cref="IHasColorAxis"/>).</summary>
internal sealed class IterationColorAxis(IColormap colormap, double first, double last) : IHasColorAxis
{
    public IColormap Colormap { get; } = colormap;

    public ScottPlot.Range GetRange() => new(first, last);
}
