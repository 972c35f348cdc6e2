namespace LinAttn.Diagnostics;

/// <summary>
/// (L0, L1)-smoothness (Zhang et al. 2019; Ahn et al. 2024 §2.5, Fig. 6): f is (L0, L1)-smooth if
/// ‖∇²f(θ)‖ ≤ L0 + L1‖∇f(θ)‖. As in the paper, the Hessian norm is replaced by the directional smoothness DS_t along
/// the trajectory, and the bound is fitted to the pairs (‖∇f(θ_t)‖, DS_t).
/// </summary>
/// <remarks>Both methods reduce to a one-dimensional convex problem in L1 (for fixed L1 the best L0 is closed form:
/// the maximum, or the τ-quantile, of s_i − L1 g_i, floored at 0), solved by golden-section search to machine
/// precision. Cost O(n log n) per iteration, about 200 iterations.</remarks>
public static class GeneralizedSmoothness
{
    /// <summary>Fits the bound to the pairs of a directional-smoothness run (gradient norms must have been computed).</summary>
    public static SmoothnessFit Fit(DirectionalSmoothnessResult result, SmoothnessFitMethod method = SmoothnessFitMethod.Quantile, double level = 0.95)
    {
        Check.NotNull(result, nameof(result));
        return Fit(result.GradientNorms, result.Values, method, level);
    }

    /// <summary>Fits DS ≤ L0 + L1·g to pairs (g_i, s_i).</summary>
    /// <param name="gradientNorms">g_i ≥ 0.</param>
    /// <param name="smoothness">s_i (may be negative); pairs with a non-finite member are dropped.</param>
    /// <param name="method">Upper envelope or quantile regression.</param>
    /// <param name="level">τ ∈ (0, 1) for quantile regression (ignored by the envelope).</param>
    public static SmoothnessFit Fit(IReadOnlyList<double> gradientNorms, IReadOnlyList<double> smoothness,
        SmoothnessFitMethod method = SmoothnessFitMethod.Quantile, double level = 0.95)
    {
        Check.NotNull(gradientNorms, nameof(gradientNorms));
        Check.NotNull(smoothness, nameof(smoothness));
        Check.Length(smoothness.Count, gradientNorms.Count, nameof(smoothness));
        if (method == SmoothnessFitMethod.Quantile) Check.Probability(level, nameof(level));
        var g = new List<double>();
        var s = new List<double>();
        for (int i = 0; i < gradientNorms.Count; i++)
        {
            if (!double.IsFinite(gradientNorms[i]) || !double.IsFinite(smoothness[i])) continue;
            Check.That(gradientNorms[i] >= 0, nameof(gradientNorms), $"gradient norms must be non-negative, but entry {i} was {gradientNorms[i]}.");
            g.Add(gradientNorms[i]);
            s.Add(smoothness[i]);
        }
        Check.MinimumCount(g.Count, 2, nameof(gradientNorms));
        double[] x = g.ToArray(), y = s.ToArray();

        Func<double, (double L0, double Objective)> profile = method switch
        {
            SmoothnessFitMethod.UpperEnvelope => l1 => EnvelopeProfile(x, y, l1),
            SmoothnessFitMethod.Quantile => l1 => QuantileProfile(x, y, l1, level),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, $"method must be UpperEnvelope or Quantile, but was {method}."),
        };
        double l1 = GoldenSection(l1 => profile(l1).Objective, 0, SlopeBound(x, y));
        double l0 = profile(l1).L0;

        int below = 0;
        for (int i = 0; i < x.Length; i++) if (y[i] <= (l0 + l1 * x[i]) * (1 + 1e-12) + 1e-300) below++;
        var (spearman, slope, positive) = LogLogStatistics(x, y);
        return new SmoothnessFit
        {
            L0 = l0, L1 = l1, Method = method, Level = method == SmoothnessFitMethod.Quantile ? level : 1.0, Count = x.Length,
            FractionBelow = below / (double)x.Length, Spearman = spearman, LogLogSlope = slope, PositiveCount = positive,
        };
    }

    // Objective Σ(L0 + L1 g − s) up to a constant, with the smallest feasible L0 ≥ 0.
    private static (double, double) EnvelopeProfile(double[] g, double[] s, double l1)
    {
        double l0 = 0, sum = 0;
        for (int i = 0; i < g.Length; i++)
        {
            l0 = Math.Max(l0, s[i] - l1 * g[i]);
            sum += g[i];
        }
        return (l0, l0 + l1 * sum / g.Length);
    }

    private static (double, double) QuantileProfile(double[] g, double[] s, double l1, double tau)
    {
        var r = new double[g.Length];
        for (int i = 0; i < g.Length; i++) r[i] = s[i] - l1 * g[i];
        double[] sorted = (double[])r.Clone();
        Array.Sort(sorted);
        // The pinball loss Σρ_τ(r_i − c) is minimised by the ⌈nτ⌉-th smallest residual (1-based).
        int k = Math.Clamp((int)Math.Ceiling(g.Length * tau) - 1, 0, g.Length - 1);
        double l0 = Math.Max(0, sorted[k]);
        double loss = 0;
        foreach (double ri in r)
        {
            double e = ri - l0;
            loss += e >= 0 ? tau * e : (tau - 1) * e;
        }
        return (l0, loss);
    }

    // An upper bound on the optimal L1: optima of these piecewise-linear programmes lie on lines through two points or
    // through one point and the origin, whose slopes are at most the largest slope between x-adjacent points or s/g.
    private static double SlopeBound(double[] g, double[] s)
    {
        int[] order = Enumerable.Range(0, g.Length).OrderBy(i => g[i]).ToArray();
        double bound = 0;
        for (int k = 0; k < order.Length; k++)
        {
            int i = order[k];
            if (g[i] > 0) bound = Math.Max(bound, s[i] / g[i]);
            if (k > 0 && g[i] > g[order[k - 1]]) bound = Math.Max(bound, (s[i] - s[order[k - 1]]) / (g[i] - g[order[k - 1]]));
        }
        return bound > 0 ? bound * 1.01 : 1.0;
    }

    private static double GoldenSection(Func<double, double> f, double lo, double hi)
    {
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double a = lo, b = hi, c = b - ratio * (b - a), d = a + ratio * (b - a);
        double fc = f(c), fd = f(d);
        for (int i = 0; i < 200 && b - a > 1e-15 * Math.Max(1, Math.Abs(b)); i++)
        {
            if (fc <= fd) { b = d; d = c; fd = fc; c = b - ratio * (b - a); fc = f(c); }
            else { a = c; c = d; fc = fd; d = a + ratio * (b - a); fd = f(d); }
        }
        double best = 0.5 * (a + b);
        return f(lo) <= f(best) ? lo : best;   // the constraint L1 ≥ 0 may be active
    }

    private static (double Spearman, double Slope, int Count) LogLogStatistics(double[] g, double[] s)
    {
        var lx = new List<double>();
        var ly = new List<double>();
        for (int i = 0; i < g.Length; i++)
        {
            if (s[i] > 0 && g[i] > 0)
            {
                lx.Add(Math.Log(g[i]));
                ly.Add(Math.Log(s[i]));
            }
        }
        if (lx.Count < 3) return (double.NaN, double.NaN, lx.Count);
        double spearman = MathNet.Numerics.Statistics.Correlation.Spearman(lx, ly);
        double mx = lx.Average(), my = ly.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < lx.Count; i++)
        {
            sxy += (lx[i] - mx) * (ly[i] - my);
            sxx += (lx[i] - mx) * (lx[i] - mx);
        }
        return (spearman, sxy / sxx, lx.Count);
    }
}
