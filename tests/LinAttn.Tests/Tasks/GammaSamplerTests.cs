using LinAttn.Random;

namespace LinAttn.Tests.Tasks;

/// <summary>Gamma(k, θ): sample mean and variance against kθ and kθ², within 5 standard errors.</summary>
public sealed class GammaSamplerTests
{
    [Theory]
    [InlineData(0.1, 10.0)]      // the paper's heavy-tailed shape (k < 1 needs the boost)
    [InlineData(0.5, 1.0)]
    [InlineData(2.5, 2.0)]       // k = 2.5, θ = 2: ‖x‖² ~ χ²₅
    [InlineData(9.0, 0.3)]
    public void MeanAndVariance_MatchTheory(double shape, double scale)
    {
        const int count = 400_000;
        var random = CounterRandom.For(42, 7);
        var x = new double[count];
        for (int i = 0; i < count; i++) x[i] = GammaSampler.Sample(ref random, shape, scale);

        double mean = x.Average();
        double variance = x.Select(v => (v - mean) * (v - mean)).Sum() / (count - 1);
        double trueMean = shape * scale, trueVariance = shape * scale * scale;
        // Standard errors: sd/√N for the mean; √((μ₄ − σ⁴)/N) for the variance, with μ₄ = σ⁴(3 + 6/k).
        double meanError = Math.Sqrt(trueVariance / count);
        double varianceError = trueVariance * Math.Sqrt((2 + 6 / shape) / count);
        Assert.InRange(mean, trueMean - 5 * meanError, trueMean + 5 * meanError);
        Assert.InRange(variance, trueVariance - 5 * varianceError, trueVariance + 5 * varianceError);
        Assert.All(x, v => Assert.True(v >= 0));
    }
}
