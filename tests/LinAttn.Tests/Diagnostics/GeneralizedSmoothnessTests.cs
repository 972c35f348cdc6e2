using LinAttn.Diagnostics;
using LinAttn.Random;

namespace LinAttn.Tests.Diagnostics;

/// <summary>The (L0, L1) fits against synthetic pairs with known constants.</summary>
public sealed class GeneralizedSmoothnessTests
{
    [Fact]
    public void UpperEnvelope_RecoversTheBoundingLine()
    {
        // s_i = L0 + L1 g_i − e_i with e_i ≥ 0; the two extreme points lie on the line, so the tightest line is it.
        const double l0 = 0.7, l1 = 2.5;
        var random = CounterRandom.For(1, 1);
        var g = Enumerable.Range(0, 500).Select(_ => 0.1 + 10 * random.NextDouble()).ToList();
        var s = g.Select(x => l0 + l1 * x - 3 * random.NextDouble()).ToList();
        g.Add(0.05); s.Add(l0 + l1 * 0.05);
        g.Add(12); s.Add(l0 + l1 * 12);
        SmoothnessFit fit = GeneralizedSmoothness.Fit(g, s, SmoothnessFitMethod.UpperEnvelope);
        Assert.Equal(l0, fit.L0, 6);
        Assert.Equal(l1, fit.L1, 6);
        Assert.Equal(1.0, fit.FractionBelow);
    }

    [Fact]
    public void Quantile_RecoversTheShiftedLine_AndLeavesTauBelow()
    {
        // s = a + b g + ε with ε ~ U(−1, 0): the τ-quantile line is (a − 1 + τ) + b g.
        const double a = 3, b = 1.5, tau = 0.9;
        var random = CounterRandom.For(2, 2);
        double[] g = Enumerable.Range(0, 20_000).Select(_ => 10 * random.NextDouble()).ToArray();
        double[] s = g.Select(x => a + b * x - random.NextDouble()).ToArray();
        SmoothnessFit fit = GeneralizedSmoothness.Fit(g, s, SmoothnessFitMethod.Quantile, tau);
        Assert.Equal(a - 1 + tau, fit.L0, 1);
        Assert.Equal(b, fit.L1, 2);
        Assert.InRange(fit.FractionBelow, 0.89, 0.91);
        Assert.True(fit.Spearman > 0.9);
        Assert.Equal(g.Length, fit.PositiveCount);
    }

    [Fact]
    public void Constraints_FloorTheConstants_AtZero()
    {
        // A decreasing cloud: the best non-negative slope is 0 and L0 is the envelope's maximum.
        double[] g = { 1, 2, 3, 4 };
        double[] s = { 4, 3, 2, 1 };
        SmoothnessFit fit = GeneralizedSmoothness.Fit(g, s, SmoothnessFitMethod.UpperEnvelope);
        Assert.Equal(0, fit.L1, 9);
        Assert.Equal(4, fit.L0, 9);
        Assert.True(fit.Spearman < 0);
        // Negative smoothness values satisfy any bound and are left out of the log-log statistics.
        SmoothnessFit withNegative = GeneralizedSmoothness.Fit(new[] { 1.0, 2, 3, 4 }, new[] { -1.0, 2, 3, 4 }, SmoothnessFitMethod.UpperEnvelope);
        Assert.Equal(3, withNegative.PositiveCount);
        Assert.Equal(1.0, withNegative.L1, 6);
    }
}
