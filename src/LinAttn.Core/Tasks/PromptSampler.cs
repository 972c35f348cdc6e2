using LinAttn.Internal;
using LinAttn.Random;

namespace LinAttn.Tasks;

/// <summary>
/// Draws batches of prompts for a <see cref="TaskOptions"/>. Prompt b of batch <c>index</c> under <c>seed</c> is drawn
/// from its own counter-based stream (seed, purpose, index, b), so a batch is a pure function of those numbers:
/// independent of thread count, and any batch can be redrawn alone.
/// </summary>
/// <remarks>Per prompt the draw order is: σ (if noisy), w*, then for each token (context then query) its covariate
/// (and Gamma radius), then the context label noise.</remarks>
public sealed class PromptSampler
{
    private const int ParallelThreshold = 256;
    private readonly ReluFeatureMap? _featureMap;
    private readonly double _gammaScale;

    /// <summary>Creates a sampler for <paramref name="task"/> (validated).</summary>
    public PromptSampler(TaskOptions task)
    {
        Guard.NotNull(task).Validate();
        Task = task;
        _gammaScale = Math.Sqrt(10.0 / task.GammaShape);
        if (task.Target == TargetFunction.RandomReluFeatures)
            _featureMap = new ReluFeatureMap(task.Dimension, task.FeatureHiddenWidth, task.FeatureMapSeed);
    }

    /// <summary>The task.</summary>
    public TaskOptions Task { get; }

    /// <summary>Draws B prompts: batch <paramref name="index"/> of the stream (<paramref name="seed"/>, <paramref name="purpose"/>).</summary>
    /// <param name="batchSize">B ≥ 1.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="purpose">One of <see cref="StreamPurpose"/>: training, evaluation, diagnostics.</param>
    /// <param name="index">The batch number (e.g. the training step).</param>
    /// <param name="maxThreads">Upper bound on threads used; null means all cores. Results do not depend on it.</param>
    public PromptBatch Sample(int batchSize, ulong seed, ulong purpose, ulong index, int? maxThreads = null)
    {
        Guard.Positive(batchSize, nameof(batchSize));
        int n = Task.ContextLength, d = Task.Dimension;
        int stride = (n + 1) * (d + 1);
        var tokens = new float[batchSize * stride];
        var targets = new float[batchSize];
        int threads = Math.Min(maxThreads ?? Environment.ProcessorCount, Environment.ProcessorCount);
        if (batchSize < ParallelThreshold || threads <= 1)
        {
            var scratch = new Scratch(d, Task.FeatureHiddenWidth);
            for (int b = 0; b < batchSize; b++) SamplePrompt(seed, purpose, index, b, tokens.AsSpan(b * stride, stride), out targets[b], scratch);
        }
        else
        {
            int chunk = (batchSize + threads - 1) / threads;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var scratch = new Scratch(d, Task.FeatureHiddenWidth);
                int end = Math.Min(batchSize, (t + 1) * chunk);
                for (int b = t * chunk; b < end; b++) SamplePrompt(seed, purpose, index, b, tokens.AsSpan(b * stride, stride), out targets[b], scratch);
            });
        }
        return new PromptBatch(batchSize, n, d, tokens, targets);
    }

    private sealed class Scratch(int d, int hidden)
    {
        public readonly double[] W = new double[d];
        public readonly double[] Raw = new double[d];
        public readonly double[] X = new double[d];
        public readonly double[] Features = new double[d];
        public readonly double[] Hidden = new double[hidden];
    }

    private void SamplePrompt(ulong seed, ulong purpose, ulong index, int b, Span<float> prompt, out float target, Scratch s)
    {
        var random = CounterRandom.For(seed, purpose, index, (ulong)b);
        TaskOptions task = Task;
        int n = task.ContextLength, d = task.Dimension;

        double sigma = NoiseSigma(ref random);
        random.FillGaussian(s.W);
        if (task.WeightsFromInverseCovariance) TransformWeights(s.W, s.Raw, task.Covariance!);

        double label = 0;
        for (int i = 0; i <= n; i++)
        {
            DrawCovariate(ref random, s);
            Span<float> token = prompt.Slice(i * (d + 1), d + 1);
            for (int j = 0; j < d; j++) token[j] = (float)s.X[j];
            label = Label(s);
            token[d] = i < n ? (float)label : 0f;
        }
        target = (float)label;

        if (sigma > 0)
        {
            for (int i = 0; i < n; i++) prompt[i * (d + 1) + d] += (float)(sigma * random.NextGaussian());
        }
    }

    private double NoiseSigma(ref CounterRandom random)
    {
        LabelNoise noise = Task.Noise;
        return noise.Kind switch
        {
            NoiseKind.Fixed => noise.Sigma,
            NoiseKind.Uniform => noise.Sigma * random.NextDouble(),
            NoiseKind.Categorical => noise.Choices[(int)(random.NextDouble() * noise.Choices.Count)],
            _ => 0.0,
        };
    }

    private void DrawCovariate(ref CounterRandom random, Scratch s)
    {
        TaskOptions task = Task;
        int d = task.Dimension;
        random.FillGaussian(s.Raw);
        switch (task.Covariates)
        {
            case CovariateDistribution.Gaussian when task.Covariance is { } cov:
                for (int r = 0; r < d; r++)
                {
                    double sum = 0;
                    for (int c = 0; c < d; c++) sum += cov.Rotation[r * d + c] * cov.Scales[c] * s.Raw[c];
                    s.X[r] = sum;
                }
                break;
            case CovariateDistribution.Gaussian:
                s.Raw.CopyTo(s.X, 0);
                break;
            default:
            {
                double norm = 0;
                for (int j = 0; j < d; j++) norm += s.Raw[j] * s.Raw[j];
                double radius = 1.0 / Math.Sqrt(norm);
                if (task.Covariates == CovariateDistribution.Gamma)
                    radius *= Math.Sqrt(GammaSampler.Sample(ref random, task.GammaShape, _gammaScale));
                for (int j = 0; j < d; j++) s.X[j] = s.Raw[j] * radius;
                break;
            }
        }
    }

    private double Label(Scratch s)
    {
        ReadOnlySpan<double> features = s.X;
        if (_featureMap is not null)
        {
            _featureMap.Apply(s.X, s.Hidden, s.Features);
            features = s.Features;
        }
        double y = 0;
        for (int j = 0; j < features.Length; j++) y += s.W[j] * features[j];
        return y;
    }

    // w* = U D⁻¹ w_raw so that w* ~ N(0, Σ⁻¹).
    private static void TransformWeights(double[] w, double[] scratch, CovarianceFactor cov)
    {
        int d = w.Length;
        for (int r = 0; r < d; r++)
        {
            double sum = 0;
            for (int c = 0; c < d; c++) sum += cov.Rotation[r * d + c] * w[c] / cov.Scales[c];
            scratch[r] = sum;
        }
        scratch.CopyTo(w, 0);
    }
}
