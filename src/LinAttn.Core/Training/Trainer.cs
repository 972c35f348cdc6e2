using System.Diagnostics;
using System.Globalization;
using LinAttn.Internal;
using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>
/// The training loop shared by every engine: per step, sample (or read) a batch, let the backend take the step with the
/// scheduled learning rate, record, check for divergence; evaluate on the fixed batch every k steps; snapshot θ_t;
/// report progress; honour cancellation.
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

        var history = new TrainingHistory();
        var clock = Stopwatch.StartNew();
        int steps = options.Steps;
        int evalEvery = evaluation is null ? 0 : options.EvaluateEvery;
        double firstLoss = double.NaN;
        double lastEval = double.NaN;
        var last = new StepOutcome(double.NaN, double.NaN, StepFailure.None);   // nothing measured before step 0

        for (int t = 0; t < steps; t++)
        {
            if (cancellationToken.IsCancellationRequested)
                return Finish(TrainingStatus.Cancelled, $"Cancelled after {t} of {steps} steps.", null);

            if (options.SnapshotEvery > 0 && t % options.SnapshotEvery == 0)
            {
                history.SnapshotSteps.Add(t);
                history.Snapshots.Add(backend.GetParameters());
            }
            if (evalEvery > 0 && t % evalEvery == 0)
            {
                lastEval = backend.Evaluate(evaluation!);
                history.EvaluationSteps.Add(t);
                history.EvaluationLoss.Add(lastEval);
                if (!double.IsFinite(lastEval))
                    return Finish(TrainingStatus.Diverged, DivergenceMessage(t, "evaluation loss", lastEval, options), t);
                progress?.Report(new TrainingProgress(t, steps, last.Loss, last.GradientNorm, lastEval, clock.Elapsed));
            }

            double learningRate = options.Optimizer.LearningRate * options.Schedule.Factor(t, steps);
            last = backend.Step(source.Next(t), learningRate);
            history.TrainLoss.Add(last.Loss);
            history.GradientNorm.Add(last.GradientNorm);
            history.LearningRate.Add(learningRate);

            switch (last.Failure)
            {
                case StepFailure.NonFiniteLoss:
                    return Finish(TrainingStatus.Diverged, DivergenceMessage(t, "training loss", last.Loss, options), t);
                case StepFailure.NonFiniteGradient:
                    return Finish(TrainingStatus.Diverged, DivergenceMessage(t, "gradient norm", last.GradientNorm, options), t);
                case StepFailure.NonFiniteWeights:
                    return Finish(TrainingStatus.Diverged, DivergenceMessage(t, "updated weights", double.NaN, options), t);
            }
            if (t == 0) firstLoss = last.Loss;
            if (options.DivergenceLossRatio is double ratio && last.Loss > ratio * firstLoss)
            {
                return Finish(TrainingStatus.Diverged,
                    $"Training diverged at step {t}: the training loss {Fmt(last.Loss)} exceeds {ratio} × the first loss {Fmt(firstLoss)}. " +
                    Causes(options), t);
            }
        }

        if (evalEvery > 0)
        {
            lastEval = backend.Evaluate(evaluation!);
            history.EvaluationSteps.Add(steps);
            history.EvaluationLoss.Add(lastEval);
        }
        return Finish(TrainingStatus.Completed, $"Completed {steps} steps.", null);

        TrainingResult Finish(TrainingStatus status, string message, int? divergedAt)
        {
            double[] final = backend.GetParameters();
            if (options.SnapshotEvery > 0)
            {
                int at = divergedAt ?? history.Steps;
                if (history.SnapshotSteps.Count == 0 || history.SnapshotSteps[^1] != at)
                {
                    history.SnapshotSteps.Add(at);
                    history.Snapshots.Add(final);
                }
            }
            history.WallSeconds = clock.Elapsed.TotalSeconds;
            progress?.Report(new TrainingProgress(history.Steps, steps, last.Loss, last.GradientNorm, lastEval, clock.Elapsed));
            return new TrainingResult(backend.Model, options, status, message, divergedAt, history, final);
        }
    }

    private static string DivergenceMessage(int step, string quantity, double value, TrainingOptions options)
        => $"Training diverged at step {step}: the {quantity} became {(double.IsNaN(value) ? "NaN or infinite" : Fmt(value))}; " +
           $"the update was not applied. {Causes(options)}";

    private static string Causes(TrainingOptions options)
    {
        string clip = options.ClipThreshold is null
            ? "gradient clipping is off (set ClipThreshold, e.g. 1.0)"
            : $"the clipping threshold {Fmt(options.ClipThreshold.Value)} may be too loose";
        return $"Likely causes: the learning rate {Fmt(options.Optimizer.LearningRate)} is too high for " +
               $"{OptimizerOptions.ShortName(options.Optimizer.Kind)}; {clip}; or the inputs are badly scaled or heavy-tailed.";
    }

    private static string Fmt(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
