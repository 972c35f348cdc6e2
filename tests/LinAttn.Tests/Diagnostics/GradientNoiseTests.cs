using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.Diagnostics;

/// <summary>The gradient-noise procedure against a source with known Gaussian noise, and on the real model.</summary>
public sealed class GradientNoiseTests : TorchTest
{
    /// <summary>g_i = g + σ z_i with z_i ~ N(0, I_P) from the stream of index i; records the indices asked for.</summary>
    private sealed class GaussianSource(int p, double sigma) : IMinibatchGradientSource
    {
        public readonly double[] Mean = Enumerable.Range(0, p).Select(i => Math.Cos(i)).ToArray();
        public readonly List<long> Indices = new();

        public int ParameterCount => p;

        public int BatchSize => 1;

        public void Gradient(long index, Span<double> gradient)
        {
            Indices.Add(index);
            var random = CounterRandom.For(5, 5, (ulong)index);
            for (int j = 0; j < p; j++) gradient[j] = Mean[j] + sigma * random.NextGaussian();
        }
    }

    [Fact]
    public void KnownGaussianNoise_GivesChiNorms_AndAnAccurateFullGradient()
    {
        const int p = 50, large = 100, count = 4000;
        const double sigma = 0.3;
        var source = new GaussianSource(p, sigma);
        var options = new GradientNoiseOptions { LargeBatchMultiple = large, Minibatches = count, Bins = 40 };
        var reports = new List<int>();
        GradientNoiseResult result = GradientNoise.Measure(source, options, new Inline(reports.Add));

        Assert.Equal(Enumerable.Range(0, large + count).Select(i => (long)i), source.Indices);   // each index once: independent draws
        Assert.Equal(large + count, reports[^1]);
        double error = Math.Sqrt(result.FullGradient.Select((g, j) => (g - source.Mean[j]) * (g - source.Mean[j])).Sum());
        Assert.InRange(error, 0.5 * sigma * Math.Sqrt(p / (double)large), 1.5 * sigma * Math.Sqrt(p / (double)large));
        // ‖σ(z_i − z̄)‖² has mean σ²P(1 + 1/M); the norm is close to σ·χ_P: light-tailed, nearly symmetric.
        double meanSquare = result.Norms.Average(v => v * v);
        Assert.Equal(sigma * sigma * p * (1 + 1.0 / large), meanSquare, 0.03 * meanSquare);
        Assert.InRange(result.Tails.ExcessKurtosis, -0.3, 0.3);
        Assert.InRange(result.Tails.Skewness, -0.1, 0.3);
        Assert.Equal(40, result.Histogram.Bins);
        Assert.True(result.QuantilePlot.Correlation > 0.99);
    }

    [Fact]
    public void Cancellation_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => GradientNoise.Measure(new GaussianSource(3, 1), new GradientNoiseOptions(), null, cts.Token));
    }

    [Fact]
    public void OnTheModel_TheFullGradientIsTheGradientOfTheConcatenatedBatch()
    {
        var model = new ModelOptions { Dimension = 3, Layers = 2 };
        var sampler = new PromptSampler(new TaskOptions { Dimension = 3, ContextLength = 6 });
        double[] theta = LinearTransformer.InitialParameters(model, 1);
        using var loss = new TorchSharpDifferentiableLoss(model);
        var options = new GradientNoiseOptions { MinibatchSize = 32, LargeBatchMultiple = 4, Minibatches = 20, Seed = 9 };
        GradientNoiseResult result = GradientNoise.Measure(loss, theta, sampler, options);

        // The large batch is minibatches 0..3 of the diagnostic stream, concatenated.
        PromptBatch[] parts = Enumerable.Range(0, 4).Select(i => sampler.Sample(32, 9, StreamPurpose.Diagnostics, (ulong)i)).ToArray();
        var big = new PromptBatch(128, 6, 3, parts.SelectMany(b => b.Tokens).ToArray(), parts.SelectMany(b => b.Targets).ToArray());
        var expected = new double[theta.Length];
        loss.Gradient(theta, big, expected);
        Assert.True(Numerics.MaxRelativeError(result.FullGradient.ToArray(), expected) < 1e-10);
        // Noise sample 0 is minibatch 4.
        var g = new double[theta.Length];
        loss.Gradient(theta, sampler.Sample(32, 9, StreamPurpose.Diagnostics, 4), g);
        Assert.Equal(Math.Sqrt(g.Select((v, j) => (v - expected[j]) * (v - expected[j])).Sum()), result.Norms[0], 10);
        Assert.All(result.Norms, n => Assert.True(n > 0));
    }

    [Fact]
    public void SampledGradientSource_ReusesItsBuffers_WithoutChangingAnyGradient()
    {
        var model = new ModelOptions { Dimension = 3, Layers = 2, Precision = Precision.Float64 };
        var sampler = new PromptSampler(new TaskOptions { Dimension = 3, ContextLength = 6, Covariates = CovariateDistribution.Gamma, GammaShape = 0.5 });
        double[] theta = LinearTransformer.InitialParameters(model, 2);
        using var loss = new LinAttn.Engine.FastDifferentiableLoss(model, threads: 1);
        var source = new SampledGradientSource(loss, theta, sampler, 37, seed: 5, threads: 1);   // 37: a partial last tile
        long[] order = { 3, 0, 7, 3, 1, 0 };   // repeats and out of order: nothing may carry over from the last draw
        double[][] expected = order.Select(i =>
        {
            var g = new double[theta.Length];
            loss.Gradient(theta, sampler.Sample(37, 5, StreamPurpose.Diagnostics, (ulong)i, 1), g);
            return g;
        }).ToArray();
        foreach (var (index, k) in order.Select((i, k) => (i, k)))
        {
            var g = new double[theta.Length];
            source.Gradient(index, g);
            Assert.Equal(expected[k], g);
        }
        Assert.NotEqual(expected[0], expected[1]);
    }

    [Fact]
    public void NoiseStudy_InFloat32_AgreesWithFloat64_ToFloatRounding()
    {
        foreach (RunSpec spec in new[] { Spec(new ModelOptions { Dimension = 3, Layers = 2 }), Spec(new ModelOptions { Dimension = 3, Layers = 2, Parametrization = Parametrization.Full, FeatureMlpWidth = 6 }) })
        {
            var options = new GradientNoiseOptions { MinibatchSize = 64, LargeBatchMultiple = 4, Minibatches = 50, Bins = 10 };
            Assert.Equal(Precision.Float32, options.Precision);   // the authors' arithmetic is the default
            var single = NoiseStudy.AtInitialisation(spec, 3, options);
            var dual = NoiseStudy.AtInitialisation(spec, 3, options with { Precision = Precision.Float64 });
            // The float64 norms against an independent path: TorchSharp's autograd on the same minibatches.
            var torch = NoiseStudy.AtInitialisation(spec, 3, options with { Precision = Precision.Float64 }, m => new TorchSharpDifferentiableLoss(m));
            Assert.True(Numerics.MaxRelativeError(dual.Norms, torch.Norms) < 1e-10);
            double error = Numerics.MaxRelativeError(single.Norms, dual.Norms);
            Assert.True(error < 1e-4, $"norm error {error:E2}");
            Assert.True(error > 0, "the float32 study should not compute in float64");
            Assert.True(Numerics.MaxRelativeError(single.FullGradient, dual.FullGradient) < 1e-4);
        }

        static RunSpec Spec(ModelOptions model) => new("noise", model, new TaskOptions { Dimension = 3, ContextLength = 8 }, new TrainingOptions { Threads = 1 });
    }

    [Fact]
    public void Options_RejectAnUndefinedPrecision_NamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GradientNoiseOptions { Precision = (Precision)5 }.Validate());
        Assert.Equal("Precision", error.ParamName);
    }

    private sealed class Inline(Action<int> handler) : IProgress<int>
    {
        public void Report(int value) => handler(value);
    }
}
