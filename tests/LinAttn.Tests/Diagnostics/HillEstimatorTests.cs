using LinAttn.Diagnostics;

namespace LinAttn.Tests.Diagnostics;

/// <summary>The Hill estimator against Pareto and Student-t samples of known tail index, and a Gaussian (no power tail).</summary>
public sealed class HillEstimatorTests
{
    [Theory]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void Pareto_RecoversTheIndex_WithinThreeStandardErrors(double alpha)
    {
        HillEstimate hill = HillEstimator.Estimate(Samples.Pareto(100_000, alpha, (ulong)(alpha * 10)));
        Assert.Equal(316, hill.K);   // ⌊√100000⌋
        Assert.True(Math.Abs(hill.TailIndex - alpha) < 3 * hill.StandardError, $"α̂ = {hill.TailIndex:F3} ± {hill.StandardError:F3}, α = {alpha}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void StudentT_AbsoluteValues_HaveIndexNu(int dof)
    {
        // |t_ν| has a Pareto-type tail of index ν; Hill with k = √n has a small second-order bias.
        HillEstimate hill = HillEstimator.Estimate(Samples.Abs(Samples.StudentT(100_000, dof, (ulong)dof)));
        Assert.InRange(hill.TailIndex, dof * 0.85, dof * 1.15);
    }

    [Fact]
    public void Gaussian_GivesALargeIndex()
    {
        HillEstimate hill = HillEstimator.Estimate(Samples.Abs(Samples.Gaussian(100_000, 3)));
        Assert.True(hill.TailIndex > 6, $"α̂ = {hill.TailIndex}");
    }

    [Fact]
    public void KRule_AndArgumentChecks()
    {
        Assert.Equal(100, HillEstimator.DefaultK(10_000));
        Assert.Equal(1, HillEstimator.DefaultK(2));
        double[] x = Samples.Pareto(1000, 2, 1);
        Assert.Equal(50, HillEstimator.Estimate(x, 50).K);
        Assert.Throws<ArgumentOutOfRangeException>(() => HillEstimator.Estimate(x, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => HillEstimator.Estimate(new double[] { -1, -2, -3, -4 }));
    }

    [Fact]
    public void Pareto_WithExplicitK_MatchesTheClosedFormOnAnExactSample()
    {
        // Exact order statistics of Pareto(α): X_(i) = (i/n)^(−1/α) (descending). Then
        // ξ̂ = (1/k) Σ_{i ≤ k} ln(X_(i)/X_(k+1)) = (1/α)(1/k) Σ_{i ≤ k} ln((k+1)/i), computed here independently.
        const int n = 1000, k = 100;
        const double alpha = 2.0;
        double[] x = Enumerable.Range(1, n).Select(i => Math.Pow(i / (double)n, -1 / alpha)).ToArray();
        double xi = Enumerable.Range(1, k).Sum(i => Math.Log((k + 1.0) / i)) / k / alpha;
        Assert.Equal(1 / xi, HillEstimator.Estimate(x, k).TailIndex, 10);
    }
}
