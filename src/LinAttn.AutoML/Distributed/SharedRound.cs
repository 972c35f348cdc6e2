using System.Globalization;

namespace LinAttn.AutoML;

/// <summary>
/// Runs a round as one of the workers sharing a study. Every worker derives the same round from the stored results, so
/// each publishes the same jobs (idempotently; a disagreement is an error). Then each worker claims jobs one at a time
/// (at most MaxConcurrentTrials at once), runs them with a heartbeat, and stores each result together with the job's
/// completion; when nothing is left to claim it waits for the other workers' jobs. When every job of the round is done,
/// the round's results are read back from the study (<see cref="Replay"/>), the same for every worker whoever ran them.
/// </summary>
internal sealed class SharedRound : IRoundExecutor
{
    private readonly IStudyQueue _queue;
    private readonly string _study;
    private readonly WorkerOptions _options;
    private readonly ITrialRunner _runner;
    private readonly int _maxConcurrent;

    public SharedRound(IStudyQueue queue, string study, WorkerOptions options, ITrialRunner runner, int maxConcurrent)
    {
        _queue = queue;
        _study = study;
        _options = options;
        _runner = runner;
        _maxConcurrent = maxConcurrent;
    }

    public async Task<IReadOnlyList<JobOutcome>> RunAsync(int round, IReadOnlyList<TrialSettings> jobs, Func<TrialResult, TrialResult> merge, CancellationToken token)
    {
        var byTrial = jobs.ToDictionary(j => j.TrialId);
        int[] ids = byTrial.Keys.Order().ToArray();
        var before = (await Io(() => _queue.LoadTrials(_study, ids)).ConfigureAwait(false)).ToDictionary(t => t.TrialId);
        await Io(() => _queue.Publish(_study, round, jobs.Select(j => new QueuedJob(Key(j), j.StartSteps, Definition(j),
            Replay.TryReuse(before.GetValueOrDefault(j.TrialId), j) is not null)).ToList())).ConfigureAwait(false);

        var running = new Dictionary<int, Task<bool>>();
        var ranHere = new HashSet<int>();
        bool waiting = false;
        while (true)
        {
            while (running.Count < _maxConcurrent && !token.IsCancellationRequested)
            {
                int[] busy = running.Keys.ToArray();
                JobClaim? claim = await Io(() => _queue.Claim(_study, round, _options.WorkerId, _options.GraceSeconds, Held(), busy)).ConfigureAwait(false);
                if (claim is null) break;
                running[claim.Key.TrialId] = RunClaimedAsync(claim, byTrial[claim.Key.TrialId], merge, token);
            }
            if (running.Count == 0)
            {
                if (token.IsCancellationRequested) break;
                RoundProgress progress = await Io(() => _queue.Progress(_study, round)).ConfigureAwait(false);
                if (progress.Queued + progress.Running + progress.Done != jobs.Count)
                    throw new InvalidOperationException(
                        $"Study '{_study}' in {_queue.Where}: round {round} holds {progress.Queued + progress.Running + progress.Done} jobs, but this worker made {jobs.Count}. " +
                        "Every worker of a study must run the same experiment with the same library version.");
                if (progress.Done == jobs.Count) break;
                if (!waiting) Log($"round {round}: waiting for {progress.Running} job(s) running on other workers");
                waiting = true;
                await Pause(token).ConfigureAwait(false);
                continue;
            }
            await Task.WhenAny(running.Values.Append(Pause(token))).ConfigureAwait(false);
            foreach (var (id, task) in running.Where(r => r.Value.IsCompleted).ToList())
            {
                running.Remove(id);
                if (await task.ConfigureAwait(false)) ranHere.Add(id);
            }
        }

        var stored = (await Io(() => _queue.LoadTrials(_study, ids)).ConfigureAwait(false)).ToDictionary(t => t.TrialId);
        var outcomes = new List<JobOutcome>();
        foreach (TrialSettings job in jobs)
        {
            if (!ranHere.Contains(job.TrialId)) _runner.Release(job.TrialId);   // its state here (if any) is stale
            TrialResult? result = Replay.TryReuse(stored.GetValueOrDefault(job.TrialId), job);
            if (result is null && !token.IsCancellationRequested)
                throw new InvalidOperationException(
                    $"Study '{_study}' in {_queue.Where}: the job of trial {job.TrialId} ({job.StartSteps} -> {job.Steps} steps) is done, but the stored trial does not " +
                    "cover it. The study was changed outside the workers; use another study name.");
            outcomes.Add(new JobOutcome(result ?? TrialMerge.Failure(job, TrialStatus.Cancelled, "Cancelled: the job went back to the queue.", null), true));
        }
        return outcomes;
    }

    private async Task<bool> RunClaimedAsync(JobClaim claim, TrialSettings job, Func<TrialResult, TrialResult> merge, CancellationToken token)
    {
        string name = $"trial {job.TrialId} steps {job.StartSteps}->{job.Steps}";
        if (claim.RecoveredFrom is not null) Log($"recovered {name} from {claim.RecoveredFrom} (no heartbeat for {F(_options.GraceSeconds)} s; attempt {claim.Attempts})");
        if (claim.Attempts > _options.MaxAttempts)
        {
            TrialResult failed = TrialMerge.Failure(job, TrialStatus.Failed,
                $"The job lost its worker {claim.Attempts - 1} times (no heartbeat for {F(_options.GraceSeconds)} s); recorded as Failed (MaxAttempts = {_options.MaxAttempts}).", null);
            bool stored = await Io(() => _queue.Complete(_study, claim.Key, _options.WorkerId, merge(failed))).ConfigureAwait(false);
            if (stored) Log($"gave up {name}: Failed after {claim.Attempts - 1} lost workers");
            return stored;
        }

        using var jobToken = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var stopBeat = new CancellationTokenSource();
        bool lost = false;
        Task beat = BeatAsync(claim.Key, () =>
        {
            lost = true;
            jobToken.Cancel();
        }, stopBeat.Token);
        TrialResult result;
        try
        {
            result = await _runner.RunAsync(job, jobToken.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (jobToken.IsCancellationRequested)
        {
            result = TrialMerge.Failure(job, TrialStatus.Cancelled, "Cancelled.", null);
        }
        catch (Exception e)
        {
            result = TrialMerge.Failure(job, TrialStatus.Failed, $"The trial runner threw {e.GetType().Name}: {e.Message}", e.ToString());
        }
        finally
        {
            stopBeat.Cancel();
        }
        await beat.ConfigureAwait(false);

        if (lost)
        {
            _runner.Release(job.TrialId);
            Log($"lost the claim on {name}: another worker took it over");
            return false;
        }
        if (result.Status == TrialStatus.Cancelled)
        {
            _runner.Release(job.TrialId);
            await Io(() => _queue.Release(_study, claim.Key, _options.WorkerId)).ConfigureAwait(false);
            Log($"released {name} (stopping)");
            return false;
        }
        if (!await Io(() => _queue.Complete(_study, claim.Key, _options.WorkerId, merge(result))).ConfigureAwait(false))
        {
            _runner.Release(job.TrialId);
            Log($"lost the claim on {name}: another worker took it over and finished first");
            return false;
        }
        Log(string.Create(CultureInfo.InvariantCulture, $"ran {name}: {result.Status}, loss {result.Loss:E4}, {result.WallSeconds:F2} s"));
        return true;
    }

    private async Task BeatAsync(JobKey key, Action onLost, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(_options.HeartbeatSeconds);
        while (true)
        {
            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                if (!await Task.Run(() => _queue.Heartbeat(_study, key, _options.WorkerId), CancellationToken.None).ConfigureAwait(false))
                {
                    onLost();
                    return;
                }
            }
            catch (Exception e)
            {
                Log($"heartbeat of trial {key.TrialId} failed ({e.Message.Split('\n')[0]}); trying again in {F(_options.HeartbeatSeconds)} s");
            }
        }
    }

    private async Task<bool> Pause(CancellationToken token)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_options.PollSeconds), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return false;
    }

    private int[] Held() => _runner is TrainingTrialRunner t ? t.HeldTrials() : Array.Empty<int>();

    private static Task<T> Io<T>(Func<T> operation) => Task.Run(operation);

    private static Task Io(Action operation) => Task.Run(operation);

    private void Log(string line) => _options.Log?.Invoke(line);

    private static JobKey Key(TrialSettings job) => new(job.TrialId, job.Steps);

    /// <summary>What workers must agree on for a job, besides its key.</summary>
    internal static string Definition(TrialSettings job)
        => string.Create(CultureInfo.InvariantCulture, $"{job.Phase}|{job.SeedIndex}|{job.MaxSteps}|{job.StartSteps}|{job.Parameter!.ToJson()}");

    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
