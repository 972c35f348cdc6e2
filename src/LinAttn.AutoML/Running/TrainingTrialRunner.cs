using System.Collections.Concurrent;
using System.Diagnostics;
using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>
/// The default trial runner: trains a trial with the library's training loop (<see cref="Runner.Start"/>, one thread per
/// trial, as <see cref="Runner.TrainAll"/> does) and keeps paused trials in memory as <see cref="TrainingRun"/>s, so a
/// promotion continues from the rung with the parameters and the optimizer state. A trial not in memory (e.g. after a
/// resume) is retrained from step 0 to its rung: the same result, by construction.
/// </summary>
public sealed class TrainingTrialRunner : ITrialRunner
{
    private readonly RunSpec _baseSpec;
    private readonly ulong _seed;
    private readonly double? _divergenceLossRatio;
    private readonly IReadOnlyCollection<string> _sharedNames;
    private readonly Func<RunSpec, TrainingRun> _start;
    private readonly ConcurrentDictionary<int, TrainingRun> _paused = new();

    /// <summary>Creates the runner.</summary>
    /// <param name="baseSpec">Model, task and the training options that trials do not change.</param>
    /// <param name="experimentSeed">The experiment seed (training seed of every search trial).</param>
    /// <param name="divergenceLossRatio">Stop a trial as Diverged when its loss exceeds this multiple of its first loss.</param>
    /// <param name="sharedNames">Names of the shared options in configurations.</param>
    /// <param name="start">Creates a run from a spec (default <see cref="Runner.Start"/>; an ML.NET data source plugs in here).</param>
    public TrainingTrialRunner(RunSpec baseSpec, ulong experimentSeed, double? divergenceLossRatio, IReadOnlyCollection<string>? sharedNames = null,
        Func<RunSpec, TrainingRun>? start = null)
    {
        _baseSpec = baseSpec ?? throw new ArgumentNullException(nameof(baseSpec));
        _seed = experimentSeed;
        _divergenceLossRatio = divergenceLossRatio;
        _sharedNames = sharedNames ?? TrialSpecBuilder.SharedOptionNames;
        _start = start ?? (spec => Runner.Start(spec));
    }

    /// <inheritdoc />
    public Task<TrialResult> RunAsync(TrialSettings settings, CancellationToken cancellationToken)
        => Task.Factory.StartNew(() => Run(settings, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <inheritdoc />
    public void Release(int trialId)
    {
        if (_paused.TryRemove(trialId, out TrainingRun? run)) run.Dispose();
    }

    /// <summary>Trials paused in memory (a worker prefers their promotions: it continues them instead of retraining).</summary>
    internal int[] HeldTrials() => _paused.Keys.ToArray();

    private TrialResult Run(TrialSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!_paused.TryRemove(settings.TrialId, out TrainingRun? run) || run.Step != settings.StartSteps)
        {
            run?.Dispose();
            run = _start(TrialSpecBuilder.Build(_baseSpec, settings, _seed, _divergenceLossRatio, _sharedNames));
        }
        TrainingResult? end;
        try
        {
            end = run.Advance(settings.Steps, null, cancellationToken);
        }
        catch
        {
            run.Dispose();
            throw;
        }
        double initial = run.History.EvaluationLoss.Count > 0 ? run.History.EvaluationLoss[0] : double.NaN;
        if (end is null)
        {
            double loss = run.Evaluate();
            _paused[settings.TrialId] = run;
            return Result(settings, TrialStatus.Paused, settings.Steps, loss, initial, null, $"Paused at rung {settings.Steps}.", null, clock);
        }
        run.Dispose();
        return end.Status switch
        {
            TrainingStatus.Completed => Result(settings, settings.Steps < settings.MaxSteps ? TrialStatus.Paused : TrialStatus.Completed,
                end.History.Steps, end.History.FinalEvaluationLoss, initial, null, end.Message, end.FinalParameters, clock),
            TrainingStatus.Diverged => Result(settings, TrialStatus.Diverged, end.StepsCompleted + 1, double.NaN, initial, end.DivergedAtStep, end.Message, null, clock),
            _ => Result(settings, TrialStatus.Cancelled, end.History.Steps, double.NaN, initial, null, end.Message, null, clock),
        };
    }

    private static TrialResult Result(TrialSettings s, TrialStatus status, int steps, double loss, double initial, int? divergedAt,
        string message, double[]? parameters, Stopwatch clock) => new()
    {
        TrialId = s.TrialId,
        Parameter = s.Parameter!,
        Phase = s.Phase,
        SeedIndex = s.SeedIndex,
        MaxSteps = s.MaxSteps,
        Status = status,
        Steps = steps,
        Loss = loss,
        InitialLoss = initial,
        DivergedAtStep = divergedAt,
        Rungs = status is TrialStatus.Paused or TrialStatus.Completed ? new[] { new RungResult(steps, loss) } : Array.Empty<RungResult>(),
        Message = message,
        WallSeconds = clock.Elapsed.TotalSeconds,
        FinalParameters = parameters,
    };

    /// <summary>Disposes every paused run.</summary>
    public void Dispose()
    {
        foreach (int id in _paused.Keys.ToArray()) Release(id);
    }
}
