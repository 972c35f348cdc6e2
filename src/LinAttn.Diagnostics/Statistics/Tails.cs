namespace LinAttn.Diagnostics;

/// <summary>
/// Moment and quantile statistics that quantify how heavy the right tail of a sample is. The facade for the common
/// case is <see cref="Summarize"/>; the estimators are also available one by one.
/// </summary>
/// <remarks>
/// <para>Conventions. Moments are the population (biased, 1/n) moments m_k = (1/n) Σ (x_i − x̄)^k. Quantiles use
/// linear interpolation between order statistics (Hyndman–Fan type 7, NumPy's default): with the sample sorted
/// ascending as x_(0) ≤ … ≤ x_(n−1), q_p = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)) where h = (n − 1)p.</para>
/// <para>Every method returns NaN for an empty sample (or one too small for the statistic) instead of throwing.</para>
/// </remarks>
public static class Tails
{
    /// <summary>All tail statistics of a sample at once (see <see cref="TailSummary"/>).</summary>
    /// <param name="sample">The values (not modified). NaN values are not allowed.</param>
    /// <param name="hillK">Number k of upper order statistics for the Hill estimator; null uses
    /// <see cref="HillEstimator.DefaultK"/>.</param>
    public static TailSummary Summarize(ReadOnlySpan<double> sample, int? hillK = null)
    {
        double[] sorted = Sorted(sample);
        var (mean, m2, m3, m4) = CentralMoments(sample);
        double median = QuantileOfSorted(sorted, 0.5);
        return new TailSummary
        {
            Count = sample.Length,
            Mean = mean,
            StandardDeviation = sample.Length > 1 ? Math.Sqrt(m2 * sample.Length / (sample.Length - 1)) : double.NaN,
            Minimum = sorted.Length > 0 ? sorted[0] : double.NaN,
            Maximum = sorted.Length > 0 ? sorted[^1] : double.NaN,
            Median = median,
            Skewness = m3 / Math.Pow(m2, 1.5),
            ExcessKurtosis = m4 / (m2 * m2) - 3.0,
            Ratio90 = QuantileOfSorted(sorted, 0.90) / median,
            Ratio99 = QuantileOfSorted(sorted, 0.99) / median,
            Ratio999 = QuantileOfSorted(sorted, 0.999) / median,
            Hill = sorted.Length >= 3 && sorted[0] > 0 ? HillEstimator.EstimateSorted(sorted, hillK) : null,
        };
    }

    /// <summary>Excess kurtosis g₂ = m₄/m₂² − 3: 0 for a normal law, 3 for Laplace, −1.2 for a uniform law, 6/(ν − 4)
    /// for Student-t with ν &gt; 4 dof (infinite for ν ≤ 4, where the sample value grows with n).</summary>
    public static double ExcessKurtosis(ReadOnlySpan<double> sample)
    {
        var (_, m2, _, m4) = CentralMoments(sample);
        return m4 / (m2 * m2) - 3.0;
    }

    /// <summary>Skewness g₁ = m₃/m₂^{3/2}: positive when the right tail is longer (2 for an exponential law).</summary>
    public static double Skewness(ReadOnlySpan<double> sample)
    {
        var (_, m2, m3, _) = CentralMoments(sample);
        return m3 / Math.Pow(m2, 1.5);
    }

    /// <summary>The type-7 quantile q_p of the sample. Range: 0 ≤ p ≤ 1.</summary>
    public static double Quantile(ReadOnlySpan<double> sample, double p)
    {
        Check.That(p >= 0 && p <= 1, nameof(p), $"p must be in [0, 1], but was {p}.");
        return QuantileOfSorted(Sorted(sample), p);
    }

    /// <summary>q_p / q_0.5: how far the high quantile sits from the median (for |N(0,1)|, q_0.99/q_0.5 = 3.82;
    /// for Pareto with index α, ((1 − p)/0.5)^(−1/α)).</summary>
    public static double QuantileRatio(ReadOnlySpan<double> sample, double p)
    {
        Check.Probability(p, nameof(p));
        double[] sorted = Sorted(sample);
        return QuantileOfSorted(sorted, p) / QuantileOfSorted(sorted, 0.5);
    }

    /// <summary>The lower median: element ⌊(n − 1)/2⌋ (0-based) of the sorted sample, what <c>torch.median</c> returns
    /// (for an even count it is the smaller of the two middle values, not their mean).</summary>
    public static double LowerMedian(ReadOnlySpan<double> sample)
    {
        if (sample.Length == 0) return double.NaN;
        double[] sorted = Sorted(sample);
        return sorted[(sorted.Length - 1) / 2];
    }

    internal static double QuantileOfSorted(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    internal static double[] Sorted(ReadOnlySpan<double> sample)
    {
        double[] sorted = sample.ToArray();
        foreach (double v in sorted)
            if (double.IsNaN(v)) throw new ArgumentOutOfRangeException(nameof(sample), "sample must not contain NaN.");
        Array.Sort(sorted);
        return sorted;
    }

    private static (double Mean, double M2, double M3, double M4) CentralMoments(ReadOnlySpan<double> sample)
    {
        if (sample.Length == 0) return (double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = 0;
        foreach (double v in sample) mean += v;
        mean /= sample.Length;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (double v in sample)
        {
            double c = v - mean, c2 = c * c;
            m2 += c2;
            m3 += c2 * c;
            m4 += c2 * c2;
        }
        return (mean, m2 / sample.Length, m3 / sample.Length, m4 / sample.Length);
    }
}
