using LinAttn.Random;

namespace LinAttn.Tests.Tasks;

/// <summary>The ziggurat normal sampler: moments, tail mass and a Kolmogorov–Smirnov distance against Φ.</summary>
public sealed class GaussianTests
{
    [Fact]
    public void Ziggurat_MatchesStandardNormal()
    {
        const int count = 1_000_000;
        var random = CounterRandom.For(3, 9);
        var x = new double[count];
        random.FillGaussian(x);

        double mean = x.Average();
        double variance = x.Select(v => v * v).Average() - mean * mean;
        double kurtosis = x.Select(v => Math.Pow(v - mean, 4)).Average() / (variance * variance);
        Assert.InRange(mean, -5 / Math.Sqrt(count), 5 / Math.Sqrt(count));
        Assert.InRange(variance, 1 - 5 * Math.Sqrt(2.0 / count), 1 + 5 * Math.Sqrt(2.0 / count));
        Assert.InRange(kurtosis, 3 - 5 * Math.Sqrt(96.0 / count), 3 + 5 * Math.Sqrt(96.0 / count));

        // Tail beyond r = 3.4426 (drawn by the slow path): P(|X| > 3.5) = 4.6525e-4.
        double tail = x.Count(v => Math.Abs(v) > 3.5) / (double)count;
        double p = 4.6525e-4;
        Assert.InRange(tail, p - 5 * Math.Sqrt(p / count), p + 5 * Math.Sqrt(p / count));

        // KS distance against Φ; the 0.1% critical value is 1.95/√N.
        Array.Sort(x);
        double ks = 0;
        for (int i = 0; i < count; i += 97)
        {
            double cdf = NormalCdf(x[i]);
            ks = Math.Max(ks, Math.Max(Math.Abs(cdf - i / (double)count), Math.Abs(cdf - (i + 1) / (double)count)));
        }
        Assert.True(ks < 1.95 / Math.Sqrt(count), $"KS distance {ks}");
    }

    [Fact]
    public void Streams_AreReproducibleAndDistinct()
    {
        var a = CounterRandom.For(1, 2, 3, 4);
        var b = CounterRandom.For(1, 2, 3, 4);
        var c = CounterRandom.For(1, 2, 3, 5);
        ulong first = a.NextUInt64();
        Assert.Equal(first, b.NextUInt64());
        Assert.NotEqual(first, c.NextUInt64());
    }

    // Φ via the complementary error function (Numerical Recipes' erfc approximation, |error| < 1.2e-7).
    internal static double NormalCdf(double x)
    {
        double z = Math.Abs(x) / Math.Sqrt(2);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc / 2 : erfc / 2;
    }
}
