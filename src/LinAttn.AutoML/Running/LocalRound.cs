namespace LinAttn.AutoML;

/// <summary>Runs a round in this process: each job is served from the stored trial when that covers it (resume by
/// replay), else run by the trial runner, at most MaxConcurrentTrials at once, one thread each.</summary>
internal sealed class LocalRound : IRoundExecutor
{
    private readonly ITrialRunner _runner;
    private readonly int _maxConcurrent;
    private readonly Dictionary<int, TrialResult> _stored;

    public LocalRound(ITrialRunner runner, int maxConcurrent, IReadOnlyList<TrialResult> stored)
    {
        _runner = runner;
        _maxConcurrent = maxConcurrent;
        _stored = stored.ToDictionary(t => t.TrialId);
    }

    public async Task<IReadOnlyList<JobOutcome>> RunAsync(int round, IReadOnlyList<TrialSettings> jobs, Func<TrialResult, TrialResult> merge, CancellationToken token)
    {
        using var gate = new SemaphoreSlim(_maxConcurrent);
        return await Task.WhenAll(jobs.Select(async job =>
        {
            TrialResult? reused = Replay.TryReuse(_stored.GetValueOrDefault(job.TrialId), job);
            if (reused is not null) return new JobOutcome(reused, true);
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (token.IsCancellationRequested) return new JobOutcome(TrialMerge.Failure(job, TrialStatus.Cancelled, "Cancelled before it started.", null), false);
                return new JobOutcome(await _runner.RunAsync(job, token).ConfigureAwait(false), false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return new JobOutcome(TrialMerge.Failure(job, TrialStatus.Cancelled, "Cancelled before it started.", null), false);
            }
            catch (Exception e)
            {
                return new JobOutcome(TrialMerge.Failure(job, TrialStatus.Failed, $"The trial runner threw {e.GetType().Name}: {e.Message}", e.ToString()), false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
    }
}
