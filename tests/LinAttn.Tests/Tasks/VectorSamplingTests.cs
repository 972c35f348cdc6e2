using System.Numerics;
using LinAttn.Random;
using LinAttn.Tasks;

namespace LinAttn.Tests.Tasks;

/// <summary>The vectorised sampler's building blocks, and chi-square goodness of fit per covariate distribution.</summary>
public sealed class VectorSamplingTests
{
    [Fact]
    public void VectorLog_Exp_CosSin_MatchTheMathLibrary()
    {
        var random = CounterRandom.For(1, 2);
        int lanes = Vector<float>.Count;
        var values = new float[lanes];
        double worstLog = 0, worstExp = 0, worstTrig = 0;
        for (int trial = 0; trial < 20_000; trial++)
        {
            for (int j = 0; j < lanes; j++) values[j] = (float)Math.Max(1e-30, random.NextDouble());
            var x = new Vector<float>(values);
            Vector<float> log = VectorMath.Log(x);
            Vector<float> exp = VectorMath.ExpNonPositive(x * new Vector<float>(-80f));
            // The angle 2πu split as the callers do: quadrant ⌊4u⌋ and fraction 4u − ⌊4u⌋.
            Vector<float> turns = new Vector<float>(values.Select(v => v % 1f).ToArray()) * new Vector<float>(4f), quadrant = Vector.Floor(turns);
            VectorMath.CosSinQuarterTurns(Vector.ConvertToInt32(quadrant), turns - quadrant, out var cos, out var sin);
            for (int j = 0; j < lanes; j++)
            {
                double u = values[j];
                worstLog = Math.Max(worstLog, Math.Abs(log[j] - Math.Log(u)) / Math.Max(1e-3, Math.Abs(Math.Log(u))));
                double e = Math.Exp(-80.0 * u);
                worstExp = Math.Max(worstExp, Math.Abs(exp[j] - e) / e);
                worstTrig = Math.Max(worstTrig, Math.Max(Math.Abs(cos[j] - Math.Cos(2 * Math.PI * u)), Math.Abs(sin[j] - Math.Sin(2 * Math.PI * u))));
            }
        }
        Assert.True(worstLog < 1e-6, $"log {worstLog:E2}");
        Assert.True(worstExp < 1e-5, $"exp {worstExp:E2}");   // e^(−80u): the argument itself is rounded to float
        Assert.True(worstTrig < 1e-6, $"trig {worstTrig:E2}");
    }

    // Lane j of the vector stream and scalar stream j start from the same key (seed, purpose, index, j).
    private static (LaneRandom Vector, CounterRandom[] Scalar) Streams(ulong seed, ulong purpose, ulong index)
    {
        ulong[] keys = Enumerable.Range(0, Vector<float>.Count).Select(j => CounterRandom.Key(seed, purpose, index, (ulong)j)).ToArray();
        return (new LaneRandom(keys), keys.Select(k => new CounterRandom(k)).ToArray());
    }

    [Fact]
    public void LaneStreams_AreTheScalarCounterStreams()
    {
        int lanes = Vector<float>.Count;
        var (vector, scalar) = Streams(7, 2, 3);
        for (int draw = 0; draw < 100; draw++)
        {
            Vector<float> u = vector.NextUniform();
            for (int j = 0; j < lanes; j++)
                Assert.Equal((scalar[j].NextUInt64() >> 40) / (double)(1 << 24), (double)u[j]);
        }
    }

    [Fact]
    public void LaneUniformPairs_AreTheScalarStreamsBits()
    {
        // One 64-bit value per lane: bits 40–63 and 16–39, each plus one, times 2⁻²⁴ (exact in float).
        int lanes = Vector<float>.Count;
        var (vector, scalar) = Streams(5, 1, 8);
        for (int draw = 0; draw < 200; draw++)
        {
            vector.NextUniformPairNonZero(out Vector<float> first, out Vector<float> second);
            for (int j = 0; j < lanes; j++)
            {
                ulong bits = scalar[j].NextUInt64();
                Assert.Equal(((bits >> 40) + 1) / (double)(1 << 24), (double)first[j]);
                Assert.Equal((((bits >> 16) & 0xFFFFFF) + 1) / (double)(1 << 24), (double)second[j]);
            }
        }
    }

    [Fact]
    public void BitFields_BothPaths_AreTheScalarBits()
    {
        // The portable narrowing runs on every machine; the AVX-512 permute where this CPU has it (this machine does;
        // CI's may not), so each path is checked directly rather than through whichever the sampler picks.
        int half = Vector<ulong>.Count;
        var random = CounterRandom.For(3, 1, 4);
        var values = new ulong[2 * half];
        for (int trial = 0; trial < 1000; trial++)
        {
            for (int i = 0; i < values.Length; i++) values[i] = random.NextUInt64();
            var low = new Vector<ulong>(values, 0);
            var high = new Vector<ulong>(values, half);
            var paths = new List<(string Name, Vector<int> Top, Vector<int> Middle)>
            {
                ("narrowed", LaneRandom.Top24Narrowed(low, high), LaneRandom.Middle24Narrowed(low, high)),
            };
            if (LaneRandom.UsesPermute) paths.Add(("permuted", LaneRandom.Top24Permuted(low, high), LaneRandom.Middle24Permuted(low, high)));
            foreach (var (name, top, middle) in paths)
                for (int j = 0; j < values.Length; j++)
                {
                    Assert.True((int)(values[j] >> 40) == top[j], $"{name} bits 40–63 of lane {j}");
                    Assert.True((int)((values[j] >> 16) & 0xFFFFFF) == middle[j], $"{name} bits 16–39 of lane {j}");
                }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LaneNormalPairs_AreBoxMullerOfTheScalarStreamsBits(bool masked)
    {
        // An independent double-precision Box–Muller on the same bits: radius from bits 40–63 (plus one), angle from
        // bits 16–39. Lanes outside the mask must not advance.
        int lanes = Vector<float>.Count;
        var (vector, scalar) = Streams(9, 4, 2);
        var activeLanes = new int[lanes];
        double worst = 0;
        for (int draw = 0; draw < 2000; draw++)
        {
            for (int j = 0; j < lanes; j++) activeLanes[j] = !masked || (draw + j) % 3 != 0 ? -1 : 0;
            Vector<float> first, second;
            if (masked) vector.NextNormalPair(new Vector<int>(activeLanes), out first, out second);
            else vector.NextNormalPair(out first, out second);
            for (int j = 0; j < lanes; j++)
            {
                if (activeLanes[j] == 0) continue;
                ulong bits = scalar[j].NextUInt64();
                double radius = Math.Sqrt(-2 * Math.Log(((bits >> 40) + 1) / (double)(1 << 24)));
                double angle = 2 * Math.PI * ((bits >> 16) & 0xFFFFFF) / (1 << 24);
                worst = Math.Max(worst, Math.Max(Math.Abs(first[j] - radius * Math.Cos(angle)), Math.Abs(second[j] - radius * Math.Sin(angle))));
            }
        }
        Assert.True(worst < 5e-6, $"largest difference {worst:E2}");
    }

    [Fact]
    public void Gaussian_Coordinates_PassChiSquare()
        => ChiSquare(new TaskOptions(), x => x[0], GaussianTests.NormalCdf);

    [Fact]
    public void Sphere_FirstCoordinate_PassesChiSquare()
        // For d = 5 the first coordinate of a uniform point on S⁴ has density ∝ 1 − t² on [−1, 1].
        => ChiSquare(new TaskOptions { Covariates = CovariateDistribution.Sphere }, x => x[0], t => (3 * t - t * t * t + 2) / 4);

    [Theory]
    [InlineData(2.5)]
    [InlineData(0.1)]
    public void Gamma_SquaredNorm_PassesChiSquare(double shape)
    {
        double scale = Math.Sqrt(10 / shape);   // ‖x‖² ~ Gamma(k, θ = √(10/k))
        ChiSquare(new TaskOptions { Covariates = CovariateDistribution.Gamma, GammaShape = shape },
            x => x.Sum(v => v * v), v => RegularizedLowerGamma(shape, v / scale));
    }

    // 20 bins equiprobable under the claimed CDF; df = 19, the 0.1% critical value is 43.8.
    private static void ChiSquare(TaskOptions task, Func<double[], double> statistic, Func<double, double> cdf)
    {
        const int bins = 20;
        PromptBatch batch = new PromptSampler(task).Sample(4000, 11, StreamPurpose.Evaluation, 0);
        var counts = new int[bins];
        int total = 0, k = task.Dimension + 1;
        for (int t = 0; t < batch.BatchSize * (task.ContextLength + 1); t++)
        {
            double[] x = Enumerable.Range(0, task.Dimension).Select(j => (double)batch.Tokens[t * k + j]).ToArray();
            double p = cdf(statistic(x));
            counts[Math.Clamp((int)(p * bins), 0, bins - 1)]++;
            total++;
        }
        double expected = total / (double)bins;
        double chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chi2 < 43.8, $"χ² = {chi2:F1} over {bins} bins ({string.Join(",", counts)})");
    }

    // P(s, x) = γ(s, x)/Γ(s) by its power series (converges for all x; fine for the moderate x used here).
    internal static double RegularizedLowerGamma(double s, double x)
    {
        if (x <= 0) return 0;
        double term = 1 / s, sum = term;
        for (int n = 1; n < 10_000 && term > sum * 1e-16; n++)
        {
            term *= x / (s + n);
            sum += term;
        }
        return Math.Exp(s * Math.Log(x) - x - LogGamma(s)) * sum;
    }

    private static double LogGamma(double x)
    {
        // Stirling series after shifting x above 10.
        double shift = 0;
        while (x < 10) shift -= Math.Log(x++);
        return shift + (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * Math.Pow(x, 5));
    }
}
