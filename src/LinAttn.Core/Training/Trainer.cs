using LinAttn.Internal;
using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>
/// The training loop shared by every engine: per step, sample (or read) a batch, let the backend take the step with the
/// scheduled learning rate, record, check for divergence; evaluate on the fixed batch every k steps; snapshot θ_t;
/// report progress; honour cancellation. To stop after some steps and continue later, use <see cref="TrainingRun"/>.
/// </summary>
public static class Trainer
{
    /// <summary>Runs the loop.</summary>
    /// <param name="backend">The engine, holding θ_0 and the optimizer state.</param>
    /// <param name="options">Training options (validated).</param>
    /// <param name="source">The batch of each step.</param>
    /// <param name="evaluation">The fixed evaluation batch, or null for no evaluation.</param>
    /// <param name="progress">Receives a report at every evaluation and at the end.</param>
    /// <param name="cancellationToken">Stops the run between steps; the result then has status Cancelled.</param>
    public static TrainingResult Train(ITrainingBackend backend, TrainingOptions options, IPromptBatchSource source,
        PromptBatch? evaluation = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(backend);
        Guard.NotNull(options).Validate();
        Guard.NotNull(source);
        // The loop lives in TrainingRun; it is not disposed here because the caller owns the backend.
        var run = new TrainingRun(backend, options, source, evaluation);
        return run.Advance(options.Steps, progress, cancellationToken)!;
    }
}
