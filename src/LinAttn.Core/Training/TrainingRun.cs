using System.Diagnostics;
using System.Globalization;
using LinAttn.Internal;
using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>
/// A training run that can stop after any step and continue later in the same process: the loop of
/// <see cref="Trainer.Train"/> (sample, step, record, check for divergence, evaluate every k steps, snapshot), advanced
/// in pieces. Advancing to step a and then to step b gives exactly the run trained to b in one go (same batches, same
/// schedule, same history): the schedule's horizon is always <see cref="TrainingOptions.Steps"/>. This is what
/// successive-halving schedulers need to continue a promoted trial from its rung instead of retraining it.
/// </summary>
/// <remarks>The run owns its backend and disposes it. Not thread-safe: advance one run from one thread at a time.</remarks>
public sealed class TrainingRun : IDisposable
{
    private readonly ITrainingBackend _backend;
    private readonly TrainingOptions _options;
    private readonly IPromptBatchSource _source;
    private readonly PromptBatch? _evaluation;
    private readonly Stopwatch _clock = new();
    private readonly int _evalEvery;
    private double _firstLoss = double.NaN;
    private double _lastEval = double.NaN;
    private StepOutcome _last = new(double.NaN, double.NaN, StepFailure.None);   // nothing measured before step 0
    private int _step;

    /// <summary>Prepares a run at step 0; nothing is computed until <see cref="Advance"/>.</summary>
    /// <param name="backend">The engine, holding θ_0 and the optimizer state; owned (disposed) by the run.</param>
    /// <param name="options">Training options (validated); <see cref="TrainingOptions.Steps"/> is the horizon.</param>
    /// <param name="source">The batch of each step.</param>
    /// <param name="evaluation">The fixed evaluation batch, or null for no evaluation.</param>
    public TrainingRun(ITrainingBackend backend, TrainingOptions options, IPromptBatchSource source, PromptBatch? evaluation = null)
    {
        _backend = Guard.NotNull(backend);
        _options = Guard.NotNull(options);
        _options.Validate();
        _source = Guard.NotNull(source);
        _evaluation = evaluation;
        _evalEvery = evaluation is null ? 0 : options.EvaluateEvery;
    }

    /// <summary>Steps done so far (updates applied, or attempted for the step that diverged).</summary>
    public int Step => _step;

    /// <summary>The horizon: <see cref="TrainingOptions.Steps"/>.</summary>
    public int TotalSteps => _options.Steps;

    /// <summary>The options of the run.</summary>
    public TrainingOptions Options => _options;

    /// <summary>What has been recorded so far (the same object the final result carries).</summary>
    public TrainingHistory History { get; } = new();

    /// <summary>The outcome once the run has ended (completed, diverged or cancelled); null while it can advance.</summary>
    public TrainingResult? Result { get; private set; }

    /// <summary>
    /// Runs steps until <see cref="Step"/> equals <paramref name="untilStep"/>, or the run ends. Returns the final result
    /// when the run ended (all <see cref="TotalSteps"/> done, diverged, or cancelled), null when it paused at
    /// <paramref name="untilStep"/> &lt; <see cref="TotalSteps"/> and can advance again.
    /// </summary>
    /// <param name="untilStep">Target step. Range: [<see cref="Step"/>, <see cref="TotalSteps"/>].</param>
    /// <param name="progress">Receives a report at every evaluation and at the end.</param>
    /// <param name="cancellationToken">Stops the run between steps; the result then has status Cancelled.</param>
    public TrainingResult? Advance(int untilStep, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Result is not null) throw new InvalidOperationException($"The run has already ended ({Result.Status}); it cannot advance.");
        if (untilStep < _step || untilStep > _options.Steps)
            throw new ArgumentOutOfRangeException(nameof(untilStep), untilStep,
                $"untilStep must be in [{_step}, {_options.Steps}] (the current step and the horizon), but was {untilStep}.");
        _clock.Start();
        try
        {
            return Loop(untilStep, progress, cancellationToken);
        }
        finally
        {
            _clock.Stop();
            History.WallSeconds = _clock.Elapsed.TotalSeconds;
        }
    }

    /// <summary>The loss of the current parameters on the fixed evaluation batch (not recorded in the history).</summary>
    /// <exception cref="InvalidOperationException">The run has no evaluation batch.</exception>
    public double Evaluate()
    {
        if (_evaluation is null) throw new InvalidOperationException("The run has no evaluation batch (EvaluateEvery is 0).");
        return _backend.Evaluate(_evaluation);
    }

    /// <summary>The current parameters θ_t, layout [L, H, m, k, k].</summary>
    public double[] GetParameters() => _backend.GetParameters();

    private TrainingResult? Loop(int untilStep, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int steps = _options.Steps;
        for (; _step < untilStep; _step++)
        {
            int t = _step;
            if (cancellationToken.IsCancellationRequested)
                return Finish(TrainingStatus.Cancelled, $"Cancelled after {t} of {steps} steps.", null, progress);

            if (_options.SnapshotEvery > 0 && t % _options.SnapshotEvery == 0)
            {
                History.SnapshotSteps.Add(t);
                History.Snapshots.Add(_backend.GetParameters());
            }
            if (_evalEvery > 0 && t % _evalEvery == 0)
            {
                _lastEval = _backend.Evaluate(_evaluation!);
                History.EvaluationSteps.Add(t);
                History.EvaluationLoss.Add(_lastEval);
                if (!double.IsFinite(_lastEval))
                    return Finish(TrainingStatus.Diverged, DivergenceMessage(t, "evaluation loss", _lastEval, outcome: $"the parameters are those after {t} updates; step {t} was not taken"), t, progress);
                progress?.Report(new TrainingProgress(t, steps, _last.Loss, _last.GradientNorm, _lastEval, _clock.Elapsed));
            }

            double learningRate = _options.Optimizer.LearningRate * _options.Schedule.Factor(t, steps);
            PromptBatch batch = _source.Next(t);
            _last = _backend.Step(batch, learningRate);
            History.TrainLoss.Add(_last.Loss);
            History.GradientNorm.Add(_last.GradientNorm);
            History.LearningRate.Add(learningRate);

            if (_last.Failure is StepFailure.NonFiniteLoss or StepFailure.NonFiniteGradient && History.SkippedSteps.Count < _options.MaxSkippedSteps)
            {
                History.SkippedSteps.Add(t);
                continue;
            }
            switch (_last.Failure)
            {
                case StepFailure.NonFiniteLoss:
                    return Finish(TrainingStatus.Diverged, DivergenceMessage(t, "training loss", _last.Loss, batch), t, progress);
                case StepFailure.NonFiniteGradient:
                    return Finish(TrainingStatus.Diverged, DivergenceMessage(t, "gradient norm", _last.GradientNorm, batch), t, progress);
                case StepFailure.NonFiniteWeights:
                    return Finish(TrainingStatus.Diverged, DivergenceMessage(t, "updated weights", double.NaN), t, progress);
            }
            if (double.IsNaN(_firstLoss)) _firstLoss = _last.Loss;   // the first step's loss (the first applied one, if step 0 was skipped)
            if (_options.DivergenceLossRatio is double ratio && _last.Loss > ratio * _firstLoss)
            {
                return Finish(TrainingStatus.Diverged,
                    $"Training diverged at step {t}: the training loss {Fmt(_last.Loss)} exceeds {ratio} × the first loss {Fmt(_firstLoss)}.{Skipped()} " +
                    "Likely causes: " + Causes() + " A single-step spike of a deep model can also come from a few rare prompts while the run is " +
                    "healthy (docs/training.md, \"Divergence from a few rare prompts\"): raise DivergenceLossRatio or turn it off for such models.", t, progress);
            }
        }
        if (_step < steps) return null;

        if (_evalEvery > 0)
        {
            _lastEval = _backend.Evaluate(_evaluation!);
            History.EvaluationSteps.Add(steps);
            History.EvaluationLoss.Add(_lastEval);
        }
        return Finish(TrainingStatus.Completed, $"Completed {steps} steps.{Skipped()}", null, progress);
    }

    private TrainingResult Finish(TrainingStatus status, string message, int? divergedAt, IProgress<TrainingProgress>? progress)
    {
        if (divergedAt is not null) _step = divergedAt.Value + 1;
        double[] final = _backend.GetParameters();
        if (_options.SnapshotEvery > 0)
        {
            int at = divergedAt ?? History.Steps;
            if (History.SnapshotSteps.Count == 0 || History.SnapshotSteps[^1] != at)
            {
                History.SnapshotSteps.Add(at);
                History.Snapshots.Add(final);
            }
        }
        History.WallSeconds = _clock.Elapsed.TotalSeconds;
        progress?.Report(new TrainingProgress(History.Steps, _options.Steps, _last.Loss, _last.GradientNorm, _lastEval, _clock.Elapsed));
        Result = new TrainingResult(_backend.Model, _options, status, message, divergedAt, History, final);
        return Result;
    }

    private string DivergenceMessage(int step, string quantity, double value, PromptBatch? batch = null, string outcome = "the update was not applied")
        => $"Training diverged at step {step}: the {quantity} became {(double.IsNaN(value) ? "NaN or infinite" : Fmt(value))}; " +
           $"{outcome}.{Skipped()} {PromptsBehind(batch)}{Causes()}";

    // " Skipped k steps ... (at a, b, …)." when any were, else "".
    private string Skipped()
    {
        List<int> skipped = History.SkippedSteps;
        if (skipped.Count == 0) return "";
        string at = string.Join(", ", skipped.Take(10)) + (skipped.Count > 10 ? ", …" : "");
        return $" Skipped {skipped.Count} step{(skipped.Count == 1 ? "" : "s")} whose training loss or gradient was non-finite " +
               $"(at {at}; at most {_options.MaxSkippedSteps} allowed); their updates were not applied.";
    }

    // Which prompts of the step's batch carry the blow-up, at θ_t (the refused update left θ there; the loss-ratio stop has
    // applied its update, so it does not use this). A few rare prompts that the model amplifies past float range are a
    // property of the model at θ_t, not of the step size (docs/training.md).
    private string PromptsBehind(PromptBatch? batch)
    {
        DivergentPrompts? spread;
        try
        {
            spread = batch is null ? null : DivergentPrompts.Analyse(_backend.Model, _backend.GetParameters(), batch);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            spread = null;   // a best-effort explanation: it must never hide the divergence it explains
        }
        if (spread is null) return "Likely causes: ";
        string carried = $"{spread.Carriers} of the batch's {spread.BatchSize} prompts {(spread.Carriers == 1 ? "carries" : "carry")} 99% of its squared error (the largest, " +
                         $"prompt {spread.Worst}'s, is {Fmt(spread.WorstError)}; the median {Fmt(spread.MedianError)}" +
                         (spread.Spread is { } λ
                             ? $"; the largest eigenvalue of prompt {spread.Worst}'s context covariance (1/n) Σ x xᵀ is {Fmt(λ.Worst)}, " +
                               $"the batch's median {Fmt(λ.Median)} and largest {Fmt(λ.Max)})"
                             : ")");
        return spread.FewPrompts
            ? $"{carried}: a few rare prompts whose predictions the model amplifies past float range, which deep models trained to " +
              $"high accuracy do to prompts far from the bulk of the data (a lower learning rate or Precision Float64 may postpone " +
              $"it but need not prevent it; MaxSkippedSteps = k lets the run skip up to k such batches). Other causes: "
            : $"{carried}. Likely causes: ";
    }

    private string Causes()
    {
        string clip = _options.ClipThreshold is null
            ? "gradient clipping is off (set ClipThreshold, e.g. 1.0)"
            : $"the clipping threshold {Fmt(_options.ClipThreshold.Value)} may be too loose";
        return $"the learning rate {Fmt(_options.Optimizer.LearningRate)} is too high for " +
               $"{OptimizerOptions.ShortName(_options.Optimizer.Kind)}; {clip}; or the inputs are badly scaled or heavy-tailed.";
    }

    private static string Fmt(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Disposes the backend.</summary>
    public void Dispose() => _backend.Dispose();
}
