using MathNet.Numerics.Distributions;

namespace LinAttn.Diagnostics;

/// <summary>
/// The data of a normal Q-Q plot (as <c>scipy.stats.probplot(x, dist=norm)</c>): the ordered sample against standard
/// normal quantiles at Blom's plotting positions (i − 0.375)/(n + 0.25), i = 1..n, with the least-squares line.
/// A sample from any normal law lies on the line; a right tail heavier than Gaussian bends the upper end above it
/// (a convex curve).
/// </summary>
public sealed class NormalQuantilePlot
{
    private NormalQuantilePlot(double[] theoretical, double[] ordered, double slope, double intercept, double correlation, int count)
    {
        Theoretical = theoretical;
        Ordered = ordered;
        Slope = slope;
        Intercept = intercept;
        Correlation = correlation;
        Count = count;
    }

    /// <summary>Standard normal quantiles of the plotted points (ascending).</summary>
    public IReadOnlyList<double> Theoretical { get; }

    /// <summary>The ordered sample values at those points.</summary>
    public IReadOnlyList<double> Ordered { get; }

    /// <summary>Slope of the least-squares line ordered ≈ slope · theoretical + intercept (estimates σ for normal data).</summary>
    public double Slope { get; }

    /// <summary>Intercept of the line (estimates μ for normal data).</summary>
    public double Intercept { get; }

    /// <summary>Pearson correlation of the points (1 for a perfect normal sample).</summary>
    public double Correlation { get; }

    /// <summary>Sample size n (the plotted points may be a thinned subset).</summary>
    public int Count { get; }

    /// <summary>(last ordered value − line at its quantile) / slope: how many σ the sample maximum lies above the
    /// normal line; ≈ 0 for normal data, large and positive for a heavy right tail.</summary>
    public double UpperTailExcess => (Ordered[^1] - (Slope * Theoretical[^1] + Intercept)) / Slope;

    /// <summary>Computes the plot data.</summary>
    /// <param name="sample">n ≥ 3 values.</param>
    /// <param name="maxPoints">At most this many points are kept for plotting: all of the 50 smallest and largest,
    /// evenly spaced ranks in between. The line is always fitted on all n points. Range: ≥ 10.</param>
    public static NormalQuantilePlot Compute(ReadOnlySpan<double> sample, int maxPoints = 2000)
    {
        Check.MinimumCount(sample.Length, 3, nameof(sample));
        Check.That(maxPoints >= 10, nameof(maxPoints), $"maxPoints must be at least 10, but was {maxPoints}.");
        double[] ordered = Tails.Sorted(sample);
        int n = ordered.Length;
        var theoretical = new double[n];
        for (int i = 0; i < n; i++) theoretical[i] = Normal.InvCDF(0, 1, (i + 1 - 0.375) / (n + 0.25));
        var (slope, intercept, r) = FitLine(theoretical, ordered);
        int[] keep = ThinnedRanks(n, maxPoints);
        return new NormalQuantilePlot(keep.Select(i => theoretical[i]).ToArray(), keep.Select(i => ordered[i]).ToArray(), slope, intercept, r, n);
    }

    private static (double Slope, double Intercept, double R) FitLine(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        double slope = sxy / sxx;
        return (slope, my - slope * mx, sxy / Math.Sqrt(sxx * syy));
    }

    private static int[] ThinnedRanks(int n, int maxPoints)
    {
        if (n <= maxPoints) return Enumerable.Range(0, n).ToArray();
        const int ends = 50;
        var ranks = new SortedSet<int>();
        for (int i = 0; i < ends; i++)
        {
            ranks.Add(i);
            ranks.Add(n - 1 - i);
        }
        int middle = maxPoints - 2 * ends;
        for (int j = 0; j < middle; j++) ranks.Add(ends + (int)((long)j * (n - 2 * ends) / middle));
        return ranks.ToArray();
    }
}
