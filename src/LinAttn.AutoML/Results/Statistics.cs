using LinAttn.Random;

namespace LinAttn.AutoML;

/// <summary>Small statistics used by the results: Spearman's ρ, Student-t quantiles, the paired seed bootstrap.</summary>
internal static class Statistics
{
    // t quantiles at 0.975 for 1..30 degrees of freedom; 1.96 beyond.
    private static readonly double[] T975 =
    {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    };

    public const ulong BootstrapPurpose = 301;
    public const int BootstrapResamples = 2000;

    public static double StudentT975(int degreesOfFreedom) => degreesOfFreedom < 1 ? double.NaN : degreesOfFreedom <= 30 ? T975[degreesOfFreedom - 1] : 1.96;

    /// <summary>Spearman's ρ with average ranks for ties (Pearson correlation of the ranks); NaN for n &lt; 3 or no spread.</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count < 3) return double.NaN;
        double[] ra = Ranks(a), rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.Length; i++)
        {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }

    public static double[] Ranks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        int[] order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }

    /// <summary>Mean, sample sd and the t-interval of the finite values.</summary>
    public static (double Mean, double Sd, double Lower, double Upper) MeanInterval(IReadOnlyList<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : double.NaN;
        double half = v.Length > 1 ? StudentT975(v.Length - 1) * sd / Math.Sqrt(v.Length) : double.NaN;
        return (mean, sd, mean - half, mean + half);
    }

    /// <summary>The median, a non-finite value counting as +∞.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        double[] v = values.Select(x => double.IsFinite(x) ? x : double.PositiveInfinity).OrderBy(x => x).ToArray();
        int n = v.Length;
        return n % 2 == 1 ? v[n / 2] : double.IsPositiveInfinity(v[n / 2]) ? double.PositiveInfinity : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    /// <summary>P(candidate c has the lowest median) under a paired bootstrap of the seeds: every resample draws the same
    /// seed indices for all candidates. A non-finite loss counts as +∞; ties go to the earlier candidate.</summary>
    public static double[] ProbabilityBest(IReadOnlyList<IReadOnlyList<double>> lossesBySeed, ulong seed)
    {
        int c = lossesBySeed.Count;
        var wins = new double[c];
        if (c == 0) return wins;
        int n = lossesBySeed.Min(l => l.Count);
        if (n == 0) return wins;
        for (int b = 0; b < BootstrapResamples; b++)
        {
            var random = CounterRandom.For(seed, BootstrapPurpose, (ulong)b);
            var pick = new int[n];
            for (int i = 0; i < n; i++) pick[i] = (int)(random.NextDouble() * n);
            int best = 0;
            double bestMedian = double.PositiveInfinity;
            for (int k = 0; k < c; k++)
            {
                double median = Median(pick.Select(i => lossesBySeed[k][i]).ToArray());
                if (median < bestMedian)
                {
                    bestMedian = median;
                    best = k;
                }
            }
            wins[best]++;
        }
        return wins.Select(w => w / BootstrapResamples).ToArray();
    }
}
