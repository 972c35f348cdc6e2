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
