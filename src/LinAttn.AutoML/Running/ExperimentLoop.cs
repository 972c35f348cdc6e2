namespace LinAttn.AutoML;

/// <summary>
/// The experiment's loop. Each round: the scheduler's promotions, then the tuner's proposals until it waits; the round's
/// jobs run (side by side in this process, or spread over the workers sharing the study: <see cref="IRoundExecutor"/>);
/// then results are stored and given to the tuner in trial-id order. When a round has no job, paused trials are pruned.
/// Budget checks and failure counting also go in trial-id order, so the table never depends on the number of concurrent
/// trials or workers, and a resumed experiment (which reuses stored results) makes the same decisions.
/// </summary>
internal sealed class ExperimentLoop
{
    private readonly ExperimentPlan _plan;
    private readonly ITuner _tuner;
    private readonly ITrialScheduler _scheduler;
    private readonly ITrialRunner _runner;
    private readonly IMonitor? _monitor;
    private readonly IStudyStorage _storage;
    private readonly IRoundExecutor _executor;
    private readonly SortedDictionary<int, TrialResult> _table = new();
    private long _spent;
    private int _nextId, _consecutiveFailures, _round;
    private bool _exhausted;
    private TrialResult? _best;

    public ExperimentLoop(ExperimentPlan plan, ITuner tuner, ITrialScheduler scheduler, ITrialRunner runner, IMonitor? monitor,
        IStudyStorage storage, IRoundExecutor executor)
    {
        _plan = plan;
        _tuner = tuner;
        _scheduler = scheduler;
        _runner = runner;
        _monitor = monitor;
        _storage = storage;
        _executor = executor;
    }

    public IReadOnlyList<TrialResult> Table => _table.Values.ToList();

    public long SearchStepsSpent => _spent;

    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_plan.TimeLimitSeconds is double seconds) limit.CancelAfter(TimeSpan.FromSeconds(seconds));
        CancellationToken token = limit.Token;
        while (true)
        {
            if (token.IsCancellationRequested) return StopReason(cancellationToken);
            List<TrialSettings> jobs = Promotions();
            jobs.AddRange(Proposals());
            if (jobs.Count == 0)
            {
                if (!PrunePaused()) return null;
                continue;
            }
            foreach (TrialSettings job in jobs) _monitor?.ReportRunningTrial(job);
            IReadOnlyList<JobOutcome> results = await _executor.RunAsync(_round++, jobs,
                r => TrialMerge.Merge(_table.GetValueOrDefault(r.TrialId), r, _plan, cumulative: false), token).ConfigureAwait(false);
            foreach (JobOutcome outcome in results.OrderBy(o => o.Result.TrialId)) Record(outcome);
            if (token.IsCancellationRequested) return StopReason(cancellationToken);
        }
    }

    private string StopReason(CancellationToken user) => user.IsCancellationRequested
        ? "Cancelled: unfinished trials are marked Cancelled and run again on resume."
        : $"Stopped by the time limit of {_plan.TimeLimitSeconds} s (a hard stop: the table is not reproducible from this point).";

    private List<TrialSettings> Promotions()
    {
        var jobs = new List<TrialSettings>();
        foreach (Promotion p in _scheduler.Promote(_table.Values.ToList()))
        {
            TrialResult prev = _table[p.TrialId];
            int cost = p.Steps - prev.Steps;
            if (IsSearch(prev.Phase) && _spent + cost > _plan.SearchStepBudget) continue;
            if (IsSearch(prev.Phase)) _spent += cost;
            jobs.Add(new TrialSettings
            {
                TrialId = prev.TrialId, Parameter = prev.Parameter, Phase = prev.Phase, SeedIndex = prev.SeedIndex,
                MaxSteps = prev.MaxSteps, Steps = p.Steps, StartSteps = prev.Steps,
            });
        }
        return jobs;
    }

    private List<TrialSettings> Proposals()
    {
        var jobs = new List<TrialSettings>();
        while (!_exhausted && (_plan.MaxModels is null || _nextId < _plan.MaxModels))
        {
            var s = new TrialSettings { TrialId = _nextId, MaxSteps = _plan.StepsPerTrial, RemainingSearchSteps = _plan.SearchStepBudget - _spent };
            Parameter? p = _tuner.Propose(s);
            if (p is null) break;
            s.Parameter = p;
            s.Steps = _scheduler.FirstRung(s);
            if (s.Steps < 1 || s.Steps > s.MaxSteps)
                throw new InvalidOperationException($"Trial {s.TrialId} asks for {s.Steps} steps with a horizon of {s.MaxSteps}: steps must be in [1, MaxSteps].");
            if (IsSearch(s.Phase))
            {
                if (_spent + s.Steps > _plan.SearchStepBudget)
                {
                    _exhausted = true;   // the tuner's proposal does not fit: no more proposals
                    break;
                }
                _spent += s.Steps;
            }
            _nextId++;
            jobs.Add(s);
        }
        return jobs;
    }

    private void Record(JobOutcome outcome)
    {
        TrialResult merged = TrialMerge.Merge(_table.GetValueOrDefault(outcome.Result.TrialId), outcome.Result, _plan, outcome.FromStorage);
        _table[merged.TrialId] = merged;
        if (!outcome.FromStorage) _storage.SaveTrial(_plan.StudyName, merged);

        if (merged.Status == TrialStatus.Paused) _monitor?.ReportRung(merged);
        else if (merged.Status == TrialStatus.Failed) _monitor?.ReportFailTrial(ToSettings(merged), null);
        else _monitor?.ReportCompletedTrial(merged);
        if (merged.Status == TrialStatus.Completed && merged.SeedIndex == 0 && merged.Phase != TrialPhase.Probe
            && (_best is null || merged.Loss < _best.Loss))
        {
            _best = merged;
            _monitor?.ReportBestTrial(merged);
        }
        if (merged.Status != TrialStatus.Cancelled) _tuner.Update(merged);

        if (merged.Status == TrialStatus.Failed) _consecutiveFailures++;
        else if (merged.Status != TrialStatus.Cancelled) _consecutiveFailures = 0;
        if (_consecutiveFailures >= _plan.MaxConsecutiveFailures)
        {
            throw new InvalidOperationException(
                $"The experiment stopped after {_consecutiveFailures} consecutive failed trials (MaxConsecutiveFailures = {_plan.MaxConsecutiveFailures}). " +
                $"Last failure, trial {merged.TrialId} ({merged.Parameter}): {merged.Message}");
        }
    }

    private bool PrunePaused()
    {
        var paused = _table.Values.Where(t => t.Status == TrialStatus.Paused).OrderBy(t => t.TrialId).ToList();
        foreach (TrialResult t in paused)
        {
            TrialResult pruned = t.WithStatus(TrialStatus.Pruned, $"Pruned at rung {t.Steps}: not among the best 1/η of its optimizer at that rung.");
            _table[t.TrialId] = pruned;
            _storage.SaveTrial(_plan.StudyName, pruned);
            _runner.Release(t.TrialId);
            _monitor?.ReportCompletedTrial(pruned);
            _tuner.Update(pruned);
        }
        return paused.Count > 0;
    }

    private static TrialSettings ToSettings(TrialResult t) => new()
    {
        TrialId = t.TrialId, Parameter = t.Parameter, Phase = t.Phase, SeedIndex = t.SeedIndex, MaxSteps = t.MaxSteps, Steps = t.Steps,
    };

    internal static bool IsSearch(TrialPhase phase) => phase != TrialPhase.Confirmation;
}
