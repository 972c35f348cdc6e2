using System.Reflection;
using LinAttn.AutoML.Tuners;
using LinAttn.Training;

namespace LinAttn.AutoML;

public sealed partial class AutoMLExperiment
{
    /// <summary>
    /// Runs the experiment (or resumes its study) and returns the result. Cancellation and the time limit stop it between
    /// steps: unfinished trials are recorded as Cancelled and the partial result is returned (<see cref="ExperimentResult.StopReason"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is invalid (the message names it).</exception>
    /// <exception cref="InvalidOperationException">The search space is empty, the study is incompatible or corrupted, or
    /// too many trials failed in a row.</exception>
    public async Task<ExperimentResult> RunAsync(CancellationToken cancellationToken = default)
    {
        SearchSpace space = BuildSearchSpace();
        IReadOnlyList<int> rungs = _scheduler.Rungs(_stepsPerTrial);
        long budget = _searchBudget ?? 3L * _stepsPerTrial * space.Optimizers.Count;
        if (budget < rungs[0])
            throw new ArgumentOutOfRangeException("totalSearchSteps",
                $"The search budget ({budget} steps) is smaller than the smallest rung ({rungs[0]} steps): raise totalSearchSteps or lower stepsPerTrial.");
        var plan = new ExperimentPlan(_task, space, _seed, _stepsPerTrial, budget, _maxModels, _timeLimit, _maxConcurrent, _maxFailures,
            _divergenceRatio, _metric, _tunerName == "default" ? $"default:{System.Text.Json.JsonSerializer.Serialize(_defaultTuner)}" : _tunerName, _studyName, _labelVariance);

        var context = new SearchContext(space, _seed, _stepsPerTrial, rungs);
        ITuner tuner = _tunerFactory?.Invoke(context) ?? new DefaultSearchTuner(space, _defaultTuner, _seed, _stepsPerTrial, rungs);
        bool ownsStorage = _storage is null;
        IStudyStorage storage = _storage ?? (_checkpoint is null ? new InMemoryStudyStorage() : StudyStorage.Open(_checkpoint, _worker.Log));
        bool ownsRunner = _runner is null;
        ITrialRunner runner = _runner ?? new TrainingTrialRunner(_task, _seed, _divergenceRatio, TrialSpecBuilder.SharedOptionNames, _start);
        try
        {
            var info = new StudyInfo(_studyName, space.ToJson(), space.Hash(), _seed, plan.SettingsJson(rungs), Versions(),
                DateTime.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture)) { Attributes = _studyAttributes };
            storage.OpenStudy(info);
            IRoundExecutor executor;
            if (storage is ISharedStudyStorage shared)
            {
                shared.Queue.Log ??= _worker.Log;
                executor = new SharedRound(shared.Queue, _studyName, _worker, runner, _maxConcurrent);
            }
            else
            {
                executor = new LocalRound(runner, _maxConcurrent, storage.LoadTrials(_studyName));
            }
            var loop = new ExperimentLoop(plan, tuner, _scheduler, runner, _monitor, storage, executor);
            string? stop = await loop.RunAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<TrialResult> table = loop.Table;
            return new ExperimentResult(_studyName, space, _task, _export, table, ResultBuilder.Summaries(space, table, _seed),
                ResultBuilder.Agreement(table, rungs), rungs, stop);
        }
        finally
        {
            if (ownsRunner) runner.Dispose();
            if (ownsStorage) storage.Dispose();
        }
    }

    private static string Versions()
        => $"LinAttn.Core {typeof(Runner).Assembly.GetName().Version}; LinAttn.AutoML {typeof(AutoMLExperiment).Assembly.GetName().Version}; " +
           $".NET {Environment.Version}; Microsoft.ML {typeof(Microsoft.ML.MLContext).Assembly.GetName().Version}";
}
