using LinAttn.Diagnostics;
using MathNet.Numerics.Distributions;

namespace LinAttn.Tests.Diagnostics;

/// <summary>Moments, quantile ratios, histogram and Q-Q data against laws with known answers.</summary>
public sealed class TailStatisticsTests
{
    private const int N = 200_000;

    [Fact]
    public void ExcessKurtosis_MatchesKnownLaws()
    {
        // Standard errors at n = 2e5: Gaussian sqrt(24/n) ≈ 0.011; Laplace and uniform are of the same order.
        Assert.InRange(Tails.ExcessKurtosis(Samples.Gaussian(N, 1)), -0.05, 0.05);
        Assert.InRange(Tails.ExcessKurtosis(Samples.Laplace(N, 2)), 2.7, 3.3);
        Assert.InRange(Tails.ExcessKurtosis(Samples.Uniform(N, 3)), -1.22, -1.18);
        // Student-t with 3 or 2 dof has no fourth (or second) moment: the sample value is large and positive.
        Assert.True(Tails.ExcessKurtosis(Samples.StudentT(N, 3, 4)) > 10);
        Assert.True(Tails.ExcessKurtosis(Samples.StudentT(N, 2, 5)) > 100);
    }

    [Fact]
    public void Skewness_IsZeroForSymmetricLaws_AndTwoForTheExponential()
    {
        Assert.InRange(Tails.Skewness(Samples.Gaussian(N, 6)), -0.02, 0.02);
        double[] exponential = Samples.Uniform(N, 7).Select(u => -Math.Log(1 - u)).ToArray();
        Assert.InRange(Tails.Skewness(exponential), 1.9, 2.1);
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.999)]
    public void QuantileRatios_MatchClosedForms(double p)
    {
        // |N(0,1)|: q_p = Φ⁻¹((1 + p)/2).
        double gaussian = Normal.InvCDF(0, 1, (1 + p) / 2) / Normal.InvCDF(0, 1, 0.75);
        Assert.Equal(gaussian, Tails.QuantileRatio(Samples.Abs(Samples.Gaussian(N, 8)), p), gaussian * 0.03);
        // |t_3|: the same with Student-t quantiles (an independent implementation, MathNet).
        double t3 = StudentT.InvCDF(0, 1, 3, (1 + p) / 2) / StudentT.InvCDF(0, 1, 3, 0.75);
        Assert.Equal(t3, Tails.QuantileRatio(Samples.Abs(Samples.StudentT(N, 3, 9)), p), t3 * 0.05);
        // Pareto(α): q_p = (1 − p)^(−1/α), so q_p/q_0.5 = ((1 − p)/0.5)^(−1/α).
        const double alpha = 2.5;
        double pareto = Math.Pow((1 - p) / 0.5, -1 / alpha);
        Assert.Equal(pareto, Tails.QuantileRatio(Samples.Pareto(N, alpha, 10), p), pareto * 0.05);
    }

    [Fact]
    public void Summary_OrdersTheLaws_ByTailWeight()
    {
        TailSummary gaussian = Tails.Summarize(Samples.Abs(Samples.Gaussian(20_000, 11)));
        TailSummary t3 = Tails.Summarize(Samples.Abs(Samples.StudentT(20_000, 3, 12)));
        TailSummary t2 = Tails.Summarize(Samples.Abs(Samples.StudentT(20_000, 2, 13)));
        Assert.True(gaussian.Ratio99 < t3.Ratio99 && t3.Ratio99 < t2.Ratio99);
        Assert.True(gaussian.ExcessKurtosis < t3.ExcessKurtosis && t3.ExcessKurtosis < t2.ExcessKurtosis);
        Assert.True(gaussian.Hill!.TailIndex > t3.Hill!.TailIndex && t3.Hill.TailIndex > t2.Hill!.TailIndex);
        Assert.Equal(20_000, t2.Count);
    }

    [Fact]
    public void Quantile_IsTypeSeven_AndLowerMedianIsTorchMedian()
    {
        double[] x = { 4, 1, 3, 2 };
        Assert.Equal(2.5, Tails.Quantile(x, 0.5), 12);     // type 7: mean of the middle pair
        Assert.Equal(1.3, Tails.Quantile(x, 0.1), 12);     // h = 0.3: 1 + 0.3·(2 − 1)
        Assert.Equal(2.0, Tails.LowerMedian(x));            // torch.median: the lower middle value
        Assert.Equal(3.0, Tails.LowerMedian(new double[] { 5, 3, 1 }));
        Assert.True(double.IsNaN(Tails.LowerMedian(Array.Empty<double>())));
    }

    [Fact]
    public void Histogram_IsADensity_WithTheRequestedBins()
    {
        double[] x = Samples.Gaussian(50_000, 14);
        Histogram h = Histogram.Build(x, 100);
        Assert.Equal(100, h.Bins);
        Assert.Equal(x.Length, h.Counts.Sum());
        double width = h.Edges[1] - h.Edges[0];
        Assert.Equal(1.0, h.Density.Sum() * width, 10);
        Assert.Equal(x.Min(), h.Edges[0]);
        Assert.Equal(x.Max(), h.Edges[^1]);
        // The bin at 0 estimates φ(0) = 0.3989.
        int zero = Enumerable.Range(0, h.Bins).First(i => h.Edges[i] <= 0 && 0 < h.Edges[i + 1]);
        Assert.InRange(h.Density[zero], 0.37, 0.43);
    }

    [Fact]
    public void NormalQuantilePlot_RecoversMeanAndStd_AndFlagsHeavyTails()
    {
        double[] normal = Samples.Gaussian(20_000, 15).Select(z => 2 + 3 * z).ToArray();
        NormalQuantilePlot qq = NormalQuantilePlot.Compute(normal, 500);
        Assert.InRange(qq.Slope, 2.9, 3.1);
        Assert.InRange(qq.Intercept, 1.95, 2.05);
        Assert.True(qq.Correlation > 0.999);
        Assert.True(qq.Theoretical.Count <= 500);
        Assert.Equal(normal.Max(), qq.Ordered[^1]);
        Assert.InRange(qq.UpperTailExcess, -1, 1);
        NormalQuantilePlot heavy = NormalQuantilePlot.Compute(Samples.Pareto(20_000, 2, 16), 500);
        Assert.True(heavy.UpperTailExcess > 10, $"excess {heavy.UpperTailExcess}");
    }
}
