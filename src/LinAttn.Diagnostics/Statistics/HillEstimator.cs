namespace LinAttn.Diagnostics;

/// <summary>
/// The Hill (1975) estimator of the tail index α of a positive sample: with X_(1) ≥ X_(2) ≥ … ≥ X_(n) the descending
/// order statistics, ξ̂_k = (1/k) Σ_{i=1..k} ln X_(i) − ln X_(k+1) and α̂ = 1/ξ̂_k.
/// </summary>
/// <remarks>
/// <para>The k rule (<see cref="DefaultK"/>): k = ⌊√n⌋, clamped to [1, n − 1]. It lets k → ∞ while k/n → 0, the
/// conditions under which Hill is consistent, and keeps the bias small for Student-t-like second-order tails.
/// For a Pareto sample the estimator is unbiased up to k/(k − 1); for a light (e.g. Gaussian) tail α̂ is large and
/// keeps growing with n, which is the signature of "no power-law tail".</para>
/// <para>Cost: one sort, O(n log n).</para>
/// </remarks>
public static class HillEstimator
{
    /// <summary>The documented k rule: ⌊√n⌋ clamped to [1, n − 1].</summary>
    public static int DefaultK(int sampleSize) => Math.Clamp((int)Math.Floor(Math.Sqrt(sampleSize)), 1, Math.Max(1, sampleSize - 1));

    /// <summary>Estimates α from the k largest values of a positive sample.</summary>
    /// <param name="sample">n ≥ 3 values; the k + 1 largest must be positive.</param>
    /// <param name="k">Upper order statistics used, 1 ≤ k ≤ n − 1; null applies <see cref="DefaultK"/>.</param>
    public static HillEstimate Estimate(ReadOnlySpan<double> sample, int? k = null)
    {
        Check.MinimumCount(sample.Length, 3, nameof(sample));
        return EstimateSorted(Tails.Sorted(sample), k);
    }

    internal static HillEstimate EstimateSorted(double[] ascending, int? k)
    {
        int n = ascending.Length;
        int used = k ?? DefaultK(n);
        Check.That(used >= 1 && used <= n - 1, nameof(k), $"k must be in [1, {n - 1}] for n = {n}, but was {used}.");
        double threshold = ascending[n - 1 - used];
        Check.That(threshold > 0, nameof(ascending),
            $"the Hill estimator needs the {used + 1} largest values to be positive, but X_(k+1) = {threshold}.");
        double logThreshold = Math.Log(threshold), sum = 0;
        for (int i = 0; i < used; i++) sum += Math.Log(ascending[n - 1 - i]) - logThreshold;
        double alpha = used / sum;
        return new HillEstimate(alpha, used, threshold, alpha / Math.Sqrt(used), n);
    }
}
