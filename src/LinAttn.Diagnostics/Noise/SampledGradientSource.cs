using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;

namespace LinAttn.Diagnostics;

/// <summary>
/// <see cref="IMinibatchGradientSource"/> over any <see cref="IDifferentiableLoss"/>: minibatch i is drawn by a
/// <see cref="PromptSampler"/> from the stream (seed, <see cref="StreamPurpose.Diagnostics"/>, i), so it is independent of
/// the training and evaluation batches and reproducible. Minibatches are drawn into buffers kept between calls: a fresh
/// 1000-prompt batch is a 0.5 MB large-object allocation, which cost as much as a third of the sampling itself.
/// </summary>
public sealed class SampledGradientSource : IMinibatchGradientSource
{
    private readonly IDifferentiableLoss _loss;
    private readonly double[] _parameters;
    private readonly PromptSampler _sampler;
    private readonly ulong _seed;
    private readonly int? _threads;
    private Buffers? _buffers;   // taken while in use, so concurrent callers never share them

    /// <summary>Creates the source.</summary>
    /// <param name="loss">The loss (its architecture fixes P). Not disposed by this object.</param>
    /// <param name="parameters">θ, copied.</param>
    /// <param name="sampler">Draws the prompts.</param>
    /// <param name="batchSize">B ≥ 1.</param>
    /// <param name="seed">Seed of the diagnostic streams.</param>
    /// <param name="threads">Sampling threads (null: all cores); results do not depend on it.</param>
    public SampledGradientSource(IDifferentiableLoss loss, ReadOnlySpan<double> parameters, PromptSampler sampler, int batchSize, ulong seed, int? threads = null)
    {
        _loss = Check.NotNull(loss, nameof(loss));
        Check.Length(parameters.Length, loss.Model.ParameterCount, nameof(parameters));
        _sampler = Check.NotNull(sampler, nameof(sampler));
        Check.Positive(batchSize, nameof(batchSize));
        _parameters = parameters.ToArray();
        BatchSize = batchSize;
        _seed = seed;
        _threads = threads;
    }

    /// <inheritdoc />
    public int ParameterCount => _parameters.Length;

    /// <inheritdoc />
    public int BatchSize { get; }

    /// <inheritdoc />
    public void Gradient(long index, Span<double> gradient)
    {
        Check.That(index >= 0, nameof(index), $"index must be non-negative, but was {index}.");
        Buffers buffers = Interlocked.Exchange(ref _buffers, null) ?? new Buffers(new float[_sampler.TileValues(BatchSize)], new float[BatchSize]);
        PromptBatch batch = _sampler.SampleInto(buffers.Tiles, buffers.Targets, BatchSize, _seed, StreamPurpose.Diagnostics, (ulong)index, _threads);
        _loss.Gradient(_parameters, batch, gradient);
        _buffers = buffers;
    }

    private sealed record Buffers(float[] Tiles, float[] Targets);
}
