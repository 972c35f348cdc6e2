using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>Supplies the training batch of each step.</summary>
public interface IPromptBatchSource
{
    /// <summary>The batch for 0-based <paramref name="step"/>.</summary>
    PromptBatch Next(int step);
}

/// <summary>
/// Online sampling as in the paper: a fresh batch every step, drawn from (seed, training, step). The batch returned by
/// <see cref="Next"/> is valid until the next call: its buffers are reused (the training loop consumes each batch
/// before asking for the next), which keeps a 10,000-step run free of half-megabyte allocations per step.
/// </summary>
public sealed class SyntheticBatchSource : IPromptBatchSource
{
    private readonly PromptSampler _sampler;
    private readonly int _batchSize;
    private readonly ulong _seed;
    private readonly int? _threads;
    private readonly PromptSampling _sampling;
    private readonly float[] _tiles, _targets;

    /// <summary>Creates the source.</summary>
    /// <param name="sampler">The task's sampler.</param>
    /// <param name="batchSize">B ≥ 1.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="threads">Threads for sampling (null: all cores); the batches do not depend on it.</param>
    /// <param name="sampling">Tokens (default) or moments (<see cref="PromptSampler.SampleMoments"/>; the task must allow it).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampling"/> is Moments for a task that cannot be drawn so.</exception>
    public SyntheticBatchSource(PromptSampler sampler, int batchSize, ulong seed, int? threads = null, PromptSampling sampling = PromptSampling.Tokens)
    {
        Internal.Guard.NotNull(sampler);
        Internal.Guard.Positive(batchSize, nameof(batchSize));
        Internal.Guard.Defined(sampling, nameof(sampling));
        if (sampling == PromptSampling.Moments && sampler.MomentsUnsupported() is { Length: > 0 } why)
            throw new ArgumentOutOfRangeException(nameof(sampling), $"Sampling Moments needs a Gaussian linear task, but {why}. Use Sampling Tokens.");
        _sampler = sampler;
        _batchSize = batchSize;
        _seed = seed;
        _threads = threads;
        _sampling = sampling;
        _tiles = new float[sampling == PromptSampling.Moments ? sampler.MomentTileValues(batchSize) : sampler.TileValues(batchSize)];
        _targets = new float[batchSize];
    }

    /// <inheritdoc />
    public PromptBatch Next(int step)
        => _sampling == PromptSampling.Moments
            ? _sampler.SampleMomentsInto(_tiles, _targets, _batchSize, _seed, Random.StreamPurpose.Training, (ulong)step, _threads)
            : _sampler.SampleInto(_tiles, _targets, _batchSize, _seed, Random.StreamPurpose.Training, (ulong)step, _threads);
}

/// <summary>
/// Shares one source between runs advanced in lock step (<see cref="Runner.TrainInLockstep"/>): the first run to ask
/// for a step draws its batch, the others get the same batch until a later step is asked for.
/// </summary>
internal sealed class LockstepBatchSource(IPromptBatchSource inner) : IPromptBatchSource
{
    private int _step = -1;
    private PromptBatch? _batch;

    /// <inheritdoc />
    public PromptBatch Next(int step)
    {
        if (step != _step || _batch is null)
        {
            _batch = inner.Next(step);
            _step = step;
        }
        return _batch;
    }
}
