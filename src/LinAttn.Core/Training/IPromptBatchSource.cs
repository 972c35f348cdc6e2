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
    private readonly float[] _tiles, _targets;

    /// <summary>Creates the source.</summary>
    public SyntheticBatchSource(PromptSampler sampler, int batchSize, ulong seed, int? threads = null)
    {
        _sampler = sampler;
        _batchSize = batchSize;
        _seed = seed;
        _threads = threads;
        _tiles = new float[sampler.TileValues(batchSize)];
        _targets = new float[batchSize];
    }

    /// <inheritdoc />
    public PromptBatch Next(int step)
        => _sampler.SampleInto(_tiles, _targets, _batchSize, _seed, Random.StreamPurpose.Training, (ulong)step, _threads);
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
