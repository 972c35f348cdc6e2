using System.Diagnostics;
using LinAttn.Diagnostics.Sharing;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Diagnostics;

/// <summary>
/// Stochastic gradient noise at fixed parameters (Ahn et al. 2024 §3.2 item 2, after Kunstner et al. 2023): the "full"
/// gradient g_full on a large batch, then the norms ‖g_B − g_full‖₂ over many fresh minibatches of B prompts, with a
/// histogram, normal Q-Q data, excess kurtosis, quantile ratios and a Hill tail index.
/// </summary>
/// <remarks>
/// <para>The full gradient on M·B prompts equals the mean of the gradients of M independent minibatches of B prompts
/// (the loss is a mean), so it is computed as such: minibatches 0..M−1 of the source form the large batch and
/// minibatches M..M+N−1 are the N noise samples, all independent.</para>
/// <para>Cost: M + N minibatch gradients (the paper: 100 + 10,000). A fresh B = 1000 gradient of the paper's base model
/// (sampling + forward/backward, one core) costs about 0.6 ms on the fast engine in float32 and 0.8 ms in float64
/// (docs/performance.md, <c>-- noise-precision</c>), about 10 ms on TorchSharp, so the paper's procedure takes about
/// 6 s, 8 s or 100 s per setting.</para>
/// </remarks>
public static class GradientNoise
{
    /// <summary>Measures the noise of <paramref name="loss"/> at <paramref name="parameters"/> on prompts from
    /// <paramref name="sampler"/> (the facade: builds a <see cref="SampledGradientSource"/>).</summary>
    public static GradientNoiseResult Measure(IDifferentiableLoss loss, ReadOnlySpan<double> parameters, PromptSampler sampler,
        GradientNoiseOptions? options = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new GradientNoiseOptions();
        options.Validate();
        var source = new SampledGradientSource(loss, parameters, sampler, options.MinibatchSize, options.Seed);
        return Measure(source, options, progress, cancellationToken);
    }

    /// <summary>Measures the noise with any minibatch-gradient source (e.g. a fast engine).</summary>
    /// <param name="source">Serves minibatch gradients at the parameters of interest.</param>
    /// <param name="options">Counts, bins, Hill k. <see cref="GradientNoiseOptions.MinibatchSize"/> is ignored: the
    /// source fixes B.</param>
    /// <param name="progress">Receives the number of minibatch gradients done (of LargeBatchMultiple + Minibatches).</param>
    /// <param name="cancellationToken">Checked between gradients; throws <see cref="OperationCanceledException"/>.</param>
    public static GradientNoiseResult Measure(IMinibatchGradientSource source, GradientNoiseOptions options,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
        => Measure(source, options, progress, cancellationToken, helpers: null);

    /// <summary>As the public overload; with <paramref name="helpers"/>, the noise minibatches are also offered to the
    /// pool's idle workers, each with its own source. Every norm is computed the same way whoever computes it, and the
    /// full gradient is summed by this thread in minibatch order, so the result does not depend on the helpers.</summary>
    internal static GradientNoiseResult Measure(IMinibatchGradientSource source, GradientNoiseOptions options,
        IProgress<int>? progress, CancellationToken cancellationToken, NoiseHelpers? helpers)
    {
        Check.NotNull(source, nameof(source));
        Check.NotNull(options, nameof(options)).Validate();
        var clock = Stopwatch.StartNew();
        int p = source.ParameterCount, large = options.LargeBatchMultiple, count = options.Minibatches;
        var buffer = new double[Chunk * p];
        var full = new double[p];
        var done = new DoneCounter(progress);
        for (int first = 0; first < large; first += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Chunk, large - first);
            source.Gradients(first, n, buffer.AsSpan(0, n * p));
            for (int i = 0; i < n * p; i++) full[i % p] += buffer[i];
            done.Add(n);
        }
        for (int j = 0; j < p; j++) full[j] /= large;

        var norms = new double[count];
        NormWorker Worker(IMinibatchGradientSource s, IDisposable? owner) => new(s, owner, full, norms, large, done);
        var work = new SharedChunks((count + Chunk - 1) / Chunk, () =>
        {
            var (helperSource, owner) = helpers!.NewSource();
            return Worker(helperSource, owner);
        }, cancellationToken);
        helpers?.Pool.Publish(work);
        try
        {
            using NormWorker own = Worker(source, null);
            work.Run(own);
        }
        finally
        {
            helpers?.Pool.Withdraw(work);
        }
        return new GradientNoiseResult(options, norms, full, clock.Elapsed.TotalSeconds);
    }

    private const int Chunk = 16;

    /// <summary>Norms of the noise minibatches of one chunk: ‖g_{M+i} − g_full‖ for i in the chunk.</summary>
    private sealed class NormWorker(IMinibatchGradientSource source, IDisposable? owner, double[] full, double[] norms, int large, DoneCounter done)
        : IChunkWorker
    {
        private readonly double[] _buffer = new double[Chunk * full.Length];

        public void Process(int chunk)
        {
            int p = full.Length, first = chunk * Chunk, n = Math.Min(Chunk, norms.Length - first);
            source.Gradients(large + first, n, _buffer.AsSpan(0, n * p));
            for (int i = 0; i < n; i++)
            {
                double sum = 0;
                for (int j = 0; j < p; j++)
                {
                    double e = _buffer[i * p + j] - full[j];
                    sum += e * e;
                }
                norms[first + i] = Math.Sqrt(sum);
            }
            done.Add(n);
        }

        public void Dispose() => owner?.Dispose();
    }

    /// <summary>Gradients done by every participant, reported in increasing order.</summary>
    private sealed class DoneCounter(IProgress<int>? progress)
    {
        private readonly object _gate = new();
        private int _done;

        public void Add(int n)
        {
            if (progress is null) return;
            lock (_gate) progress.Report(_done += n);
        }
    }
}

/// <summary>Idle workers of <paramref name="Pool"/> may help a noise measurement, each with a source (and the object
/// that owns its engine, disposed when the helper is done) from <paramref name="NewSource"/>.</summary>
internal sealed record NoiseHelpers(UnitPool Pool, Func<(IMinibatchGradientSource Source, IDisposable? Owner)> NewSource);
