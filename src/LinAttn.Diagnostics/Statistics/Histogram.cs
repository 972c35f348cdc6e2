namespace LinAttn.Diagnostics;

/// <summary>An equal-width histogram normalised as a density (the area of the bars is 1), as
/// <c>matplotlib.hist(density=True)</c> draws it.</summary>
public sealed class Histogram
{
    private Histogram(double[] edges, int[] counts, double[] density)
    {
        Edges = edges;
        Counts = counts;
        Density = density;
    }

    /// <summary>Bin edges, <see cref="Bins"/> + 1 values ascending from the sample minimum to its maximum.</summary>
    public IReadOnlyList<double> Edges { get; }

    /// <summary>Values per bin; each bin is [e_i, e_{i+1}) except the last, which includes the maximum.</summary>
    public IReadOnlyList<int> Counts { get; }

    /// <summary>count / (n · width) per bin.</summary>
    public IReadOnlyList<double> Density { get; }

    /// <summary>Number of bins.</summary>
    public int Bins => Counts.Count;

    /// <summary>Centre of bin <paramref name="i"/>.</summary>
    public double Center(int i) => 0.5 * (Edges[i] + Edges[i + 1]);

    /// <summary>Builds the histogram of <paramref name="sample"/> over [min, max] with <paramref name="bins"/> bins.</summary>
    /// <param name="sample">At least one finite value.</param>
    /// <param name="bins">Number of bins (the paper uses 100). Range: ≥ 1.</param>
    public static Histogram Build(ReadOnlySpan<double> sample, int bins = 100)
    {
        Check.MinimumCount(sample.Length, 1, nameof(sample));
        Check.Positive(bins, nameof(bins));
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in sample)
        {
            Check.That(double.IsFinite(v), nameof(sample), "sample must hold finite values only.");
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (max == min) max = min + 1;   // a constant sample: one unit-wide range
        double width = (max - min) / bins;
        var edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = min + i * width;
        edges[bins] = max;
        var counts = new int[bins];
        foreach (double v in sample) counts[Math.Min(bins - 1, (int)((v - min) / width))]++;
        var density = new double[bins];
        for (int i = 0; i < bins; i++) density[i] = counts[i] / (sample.Length * width);
        return new Histogram(edges, counts, density);
    }
}
