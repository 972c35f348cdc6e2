using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>Supplies the training batch of each step.</summary>
public interface IPromptBatchSource
{
    /// <summary>The batch for 0-based <paramref name="step"/>.</summary>
    PromptBatch Next(int step);
}

/// <summary>Online sampling as in the paper: a fresh batch every step, drawn from (seed, training, step).</summary>
public sealed class SyntheticBatchSource : IPromptBatchSource
{
    private readonly PromptSampler _sampler;
    private readonly int _batchSize;
    private readonly ulong _seed;
    private readonly int? _threads;

    /// <summary>Creates the source.</summary>
    public SyntheticBatchSource(PromptSampler sampler, int batchSize, ulong seed, int? threads = null)
    {
        _sampler = sampler;
        _batchSize = batchSize;
        _seed = seed;
        _threads = threads;
    }

    /// <inheritdoc />
    public PromptBatch Next(int step) => _sampler.Sample(_batchSize, _seed, Random.StreamPurpose.Training, (ulong)step, _threads);
}
