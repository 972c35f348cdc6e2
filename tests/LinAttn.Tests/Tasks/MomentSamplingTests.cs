using LinAttn.Random;
using LinAttn.Tasks;

namespace LinAttn.Tests.Tasks;

/// <summary>
/// Prompts drawn as moments (S₀ = Σ z zᵀ and the query, by the Bartlett decomposition): closed-form moments and
/// chi-square laws, and a two-sample test against S₀ computed from the token sampler's draws (an independent path).
/// </summary>
public sealed class MomentSamplingTests
{
    private static readonly CovarianceFactor Skewed = new(Rotation(5, 0.7), new[] { 2.0, 1.0, 0.5, 1.5, 0.8 });

    // S₀ (k×k) and the query of prompt b, as doubles.
    private static (double[] S, double[] Query) Moments(PromptBatch batch, int b)
    {
        int d = batch.Dimension, k = d + 1, lanes = PromptBatch.TileLanes, entries = PromptBatch.MomentEntries(d);
        float[] tiles = batch.MomentTiles!;
        int source = b / lanes * entries * lanes + b % lanes;
        double[] values = Enumerable.Range(0, entries).Select(e => (double)tiles[source + e * lanes]).ToArray();
        return (values[..(k * k)], values[(k * k)..]);
    }

    // S₀ summed from the tokens of prompt b (the definition).
    private static double[] MomentsFromTokens(PromptBatch batch, int b)
    {
        int k = batch.Dimension + 1, n = batch.ContextLength;
        var s = new double[k * k];
        for (int t = 0; t < n; t++)
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) s[i * k + j] += (double)batch.Tokens[b * batch.PromptStride + t * k + i] * batch.Tokens[b * batch.PromptStride + t * k + j];
        return s;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Diagonal_IsChiSquareWithNDegrees(int i)
    {
        // Σ = I: S_ii = Σ_t x_ti² ~ χ²(20). Each i takes another path (row i of the Bartlett factor: χ²(20 − i) plus i
        // squared normals, odd and even degrees). 20 bins equiprobable under χ²(20); df = 19, 0.1% critical value 43.8.
        const int bins = 20, count = 8000;
        PromptBatch batch = new PromptSampler(new TaskOptions()).SampleMoments(count, 3, StreamPurpose.Evaluation, 0, 1);
        var counts = new int[bins];
        for (int b = 0; b < count; b++)
        {
            double p = VectorSamplingTests.RegularizedLowerGamma(10, Moments(batch, b).S[i * 6 + i] / 2);
            counts[Math.Clamp((int)(p * bins), 0, bins - 1)]++;
        }
        double expected = count / (double)bins;
        double chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chi2 < 43.8, $"χ² = {chi2:F1} ({string.Join(",", counts)})");
    }

    [Fact]
    public void Means_MatchClosedForms_WithCovarianceAndNoise()
    {
        // x ~ N(0, Σ), w ~ N(0, I), y = w·x + σε: E[S_xx] = nΣ, E[Σ y x] = 0, E[Σ y²] = n(tr Σ + σ²), E[y_q] = 0.
        const int count = 20_000, n = 20, d = 5;
        const double sigma = 0.7;
        var task = new TaskOptions { Covariance = Skewed, Noise = LabelNoise.Fixed(sigma) };
        PromptBatch batch = new PromptSampler(task).SampleMoments(count, 5, StreamPurpose.Evaluation, 0);
        double[] covariance = Skewed.Covariance();
        double trace = Enumerable.Range(0, d).Sum(i => covariance[i * d + i]);
        var samples = Enumerable.Range(0, count).Select(b => Moments(batch, b)).ToArray();
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
                AssertMean(samples.Select(m => m.S[i * 6 + j]), n * covariance[i * d + j], $"S_xx[{i},{j}]");
            AssertMean(samples.Select(m => m.S[i * 6 + d]), 0, $"S_xy[{i}]");
        }
        AssertMean(samples.Select(m => m.S[d * 6 + d]), n * (trace + sigma * sigma), "S_yy");
        AssertMean(batch.Targets.Select(t => (double)t), 0, "y_q");
        AssertMean(batch.Targets.Select(t => (double)t * t), trace, "y_q²");                  // E[(w·x_q)²] = tr Σ
        Assert.All(samples, m => Assert.Equal(0.0, m.Query[d]));
    }

    [Fact]
    public void LargeD_MatchesClosedForms()
    {
        // Fig. 5's shape (d = 20, n = 60): χ² degrees 60 down to 41, 190 normals below the diagonal.
        const int count = 3000, n = 60, d = 20, k = d + 1;
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = n }).SampleMoments(count, 9, StreamPurpose.Evaluation, 0);
        var samples = Enumerable.Range(0, count).Select(b => Moments(batch, b).S).ToArray();
        foreach (int i in new[] { 0, 7, 19 })
        {
            AssertMean(samples.Select(s => s[i * k + i]), n, $"S_xx[{i},{i}]");
            AssertMean(samples.Select(s => s[i * k + (i + 5) % d]), 0, $"S_xx[{i},{(i + 5) % d}]");
        }
        AssertMean(samples.Select(s => s[d * k + d]), n * d, "S_yy");   // E Σy² = n E|w|² = n d
    }

    [Fact]
    public void Variances_MatchTheWishartLaw()
    {
        // Σ = I: Var(S_ii) = 2n, Var(S_ij) = n for i ≠ j; and S is symmetric.
        const int count = 20_000, n = 20;
        PromptBatch batch = new PromptSampler(new TaskOptions()).SampleMoments(count, 8, StreamPurpose.Evaluation, 0);
        var samples = Enumerable.Range(0, count).Select(b => Moments(batch, b).S).ToArray();
        AssertVariance(samples.Select(s => s[2 * 6 + 2]).ToArray(), 2 * n, 12.0 * n * (n + 4), "S_22");   // μ₄ of χ²(n): 12n(n + 4)
        AssertVariance(samples.Select(s => s[1 * 6 + 3]).ToArray(), n, 3.0 * n * n + 6.0 * n, "S_13");                  // Σ of n products of independent normals
        Assert.All(samples, s =>
        {
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++) Assert.Equal(s[i * 6 + j], s[j * 6 + i]);
        });
    }

    public static IEnumerable<object[]> Tasks()
    {
        yield return new object[] { "isotropic", new TaskOptions() };
        yield return new object[] { "covariance, w ~ N(0, Σ⁻¹), uniform noise", new TaskOptions { Covariance = Skewed, WeightsFromInverseCovariance = true, Noise = LabelNoise.Uniform(1.5) } };
        yield return new object[] { "categorical noise, n = 7, d = 6", new TaskOptions { Dimension = 6, ContextLength = 7, Noise = LabelNoise.Categorical(0.5, 2) } };
    }

    [Theory]
    [MemberData(nameof(Tasks))]
    public void JointLaw_EqualsSummedTokens(string name, TaskOptions task)
    {
        // Two-sample homogeneity test per statistic: 20 bins at the token sample's quantiles, moments vs tokens (df 19,
        // 0.1% critical value 43.8). The statistics mix S₀ with the query and target, so the joint law is tested too.
        const int count = 6000, bins = 20;
        var sampler = new PromptSampler(task);
        PromptBatch moments = sampler.SampleMoments(count, 21, StreamPurpose.Evaluation, 0);
        PromptBatch tokens = sampler.Sample(count, 22, StreamPurpose.Evaluation, 0);
        int d = task.Dimension, k = d + 1;
        var statistics = new (string Name, Func<double[], double[], double, double> Of)[]
        {
            ("S_00", (s, q, y) => s[0]),
            ("S_01", (s, q, y) => s[1]),
            ("S_0y", (s, q, y) => s[d]),
            ("S_yy", (s, q, y) => s[d * k + d]),
            ("x_qᵀS_xx x_q", (s, q, y) => Enumerable.Range(0, d).Sum(i => Enumerable.Range(0, d).Sum(j => q[i] * s[i * k + j] * q[j]))),
            ("y_q·(S_xy·x_q)", (s, q, y) => y * Enumerable.Range(0, d).Sum(i => s[i * k + d] * q[i])),
        };
        foreach (var (statistic, of) in statistics)
        {
            double[] reference = Enumerable.Range(0, count).Select(b =>
                of(MomentsFromTokens(tokens, b), tokens.Tokens.AsSpan(b * tokens.PromptStride + task.ContextLength * k, k).ToArray().Select(v => (double)v).ToArray(), tokens.Targets[b])).ToArray();
            double[] drawn = Enumerable.Range(0, count).Select(b =>
            {
                var (s, q) = Moments(moments, b);
                return of(s, q, moments.Targets[b]);
            }).ToArray();
            double[] sorted = reference.Order().ToArray();
            double[] edges = Enumerable.Range(1, bins - 1).Select(i => sorted[i * count / bins]).ToArray();
            int Bin(double v)
            {
                int index = Array.BinarySearch(edges, v);
                return index >= 0 ? index + 1 : ~index;
            }
            var a = new int[bins];
            var c = new int[bins];
            foreach (double v in reference) a[Bin(v)]++;
            foreach (double v in drawn) c[Bin(v)]++;
            double chi2 = 0;
            for (int i = 0; i < bins; i++)
            {
                double expected = (a[i] + c[i]) / 2.0;
                if (expected > 0) chi2 += (a[i] - expected) * (a[i] - expected) / expected + (c[i] - expected) * (c[i] - expected) / expected;
            }
            Assert.True(chi2 < 43.8, $"{name}, {statistic}: χ² = {chi2:F1}\ntokens  {string.Join(",", a)}\nmoments {string.Join(",", c)}");
        }
    }

    [Fact]
    public void Batch_DoesNotDependOnThreads_AndZeroesLanesPastTheEnd()
    {
        var sampler = new PromptSampler(new TaskOptions { Noise = LabelNoise.Fixed(0.3) });
        PromptBatch one = sampler.SampleMoments(1000, 4, StreamPurpose.Training, 9, 1);
        PromptBatch two = sampler.SampleMoments(1000, 4, StreamPurpose.Training, 9, 2);
        Assert.Equal(one.MomentTiles!, two.MomentTiles!);
        Assert.Equal(one.Targets, two.Targets);
        PromptBatch partial = sampler.SampleMoments(21, 4, StreamPurpose.Training, 9, 1);     // 21 = one tile + 5 lanes
        for (int b = 0; b < 21; b++) Assert.Equal(Moments(one, b).S, Moments(partial, b).S);  // prompt b's stream only
        int entries = PromptBatch.MomentEntries(5), lanes = PromptBatch.TileLanes;
        for (int e = 0; e < entries; e++)
            for (int lane = 5; lane < lanes; lane++) Assert.Equal(0f, partial.MomentTiles![(entries + e) * lanes + lane]);
    }

    [Fact]
    public void MomentBatch_HasNoTokens()
    {
        PromptBatch batch = new PromptSampler(new TaskOptions()).SampleMoments(16, 1, StreamPurpose.Training, 0);
        Assert.False(batch.HasTokens);
        var error = Assert.Throws<InvalidOperationException>(() => batch.Tokens);
        Assert.Contains("moments", error.Message);
        Assert.Throws<InvalidOperationException>(() => batch.Slice(0, 2));
        Assert.True(new PromptSampler(new TaskOptions()).Sample(16, 1, StreamPurpose.Training, 0).HasTokens);
    }

    [Theory]
    [InlineData(CovariateDistribution.Gamma, TargetFunction.Linear, 20, "Covariates is Gamma")]
    [InlineData(CovariateDistribution.Sphere, TargetFunction.Linear, 20, "Covariates is Sphere")]
    [InlineData(CovariateDistribution.Gaussian, TargetFunction.RandomReluFeatures, 20, "Target is RandomReluFeatures")]
    [InlineData(CovariateDistribution.Gaussian, TargetFunction.Linear, 4, "ContextLength n = 4 is below 5")]
    public void UnsupportedTasks_AreRefusedWithTheReason(CovariateDistribution covariates, TargetFunction target, int n, string reason)
    {
        var sampler = new PromptSampler(new TaskOptions { Covariates = covariates, Target = target, ContextLength = n });
        Assert.Contains(reason, sampler.MomentsUnsupported());
        var error = Assert.Throws<InvalidOperationException>(() => sampler.SampleMoments(16, 1, StreamPurpose.Training, 0));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void NoisyTask_NeedsOneMoreContextToken()
    {
        Assert.Equal("", new PromptSampler(new TaskOptions { ContextLength = 5 }).MomentsUnsupported());
        Assert.Contains("n ≥ d + 1 with label noise",
            new PromptSampler(new TaskOptions { ContextLength = 5, Noise = LabelNoise.Fixed(1) }).MomentsUnsupported());
    }

    private static void AssertMean(IEnumerable<double> values, double expected, string what)
    {
        double[] x = values.ToArray();
        double mean = x.Average();
        double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
        double error = sd / Math.Sqrt(x.Length);
        Assert.True(Math.Abs(mean - expected) < 5 * error + 1e-9, $"{what}: mean {mean:F4}, expected {expected:F4} ± {5 * error:F4}");
    }

    // Sample variance against its expected value; the standard error of a variance is √((μ₄ − σ⁴)/N).
    private static void AssertVariance(double[] x, double expected, double fourthMoment, string what)
    {
        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        double error = Math.Sqrt((fourthMoment - expected * expected) / x.Length);
        Assert.True(Math.Abs(variance - expected) < 5 * error, $"{what}: variance {variance:F3}, expected {expected} ± {5 * error:F3}");
    }

    // A rotation in the (0, 1) and (2, 4) planes by angle a: orthogonal, not diagonal.
    private static double[] Rotation(int d, double a)
    {
        var r = new double[d * d];
        for (int i = 0; i < d; i++) r[i * d + i] = 1;
        void Plane(int p, int q)
        {
            r[p * d + p] = Math.Cos(a); r[p * d + q] = -Math.Sin(a);
            r[q * d + p] = Math.Sin(a); r[q * d + q] = Math.Cos(a);
        }
        Plane(0, 1);
        Plane(2, 4);
        return r;
    }
}
