namespace LinAttn.AutoML;

/// <summary>
/// Resume by replay: the experiment re-makes its decisions and, for each job, reuses the stored state of the trial when
/// it already covers the job (the same configuration trained at least to the job's rung, or ended by that job: diverged
/// or failed), instead of training again. Workers sharing a study read every job's result this way.
/// </summary>
internal static class Replay
{
    /// <summary>The job's result reconstructed from <paramref name="stored"/>, or null when the job must run.</summary>
    /// <exception cref="InvalidOperationException">The stored trial has another configuration: the study is not this experiment's.</exception>
    public static TrialResult? TryReuse(TrialResult? stored, TrialSettings job)
    {
        if (stored is null || stored.Status == TrialStatus.Cancelled) return null;
        if (!stored.Parameter.Equals(job.Parameter) || stored.Phase != job.Phase || stored.SeedIndex != job.SeedIndex || stored.MaxSteps != job.MaxSteps)
            throw new InvalidOperationException(
                $"The stored trial {job.TrialId} ({stored.Parameter}, {stored.Phase}) differs from what this experiment proposes ({job.Parameter}, {job.Phase}): " +
                "the study was written by another experiment or a different version. Use another study name.");
        // A trial that reached the job's rung passed this job: the job paused it there, unless it completed exactly there.
        if (stored.Rungs.Any(r => r.Steps == job.Steps))
            return stored.Status == TrialStatus.Completed && stored.Steps == job.Steps ? stored : Trim(stored, job.Steps);
        // It did not reach the rung: the job ended it (diverged on the way, or the runner threw), or the job must run.
        if (stored.Status == TrialStatus.Diverged && stored.Steps > job.StartSteps && stored.Steps <= job.Steps) return stored;
        if (stored.Status == TrialStatus.Failed && stored.Steps == job.StartSteps && LastRung(stored) == job.StartSteps) return stored;
        return null;
    }

    private static int LastRung(TrialResult t) => t.Rungs.Count > 0 ? t.Rungs[^1].Steps : 0;

    private static TrialResult Trim(TrialResult stored, int steps)
    {
        var rungs = stored.Rungs.Where(r => r.Steps <= steps).ToList();
        return new TrialResult
        {
            TrialId = stored.TrialId, Parameter = stored.Parameter, Phase = stored.Phase, SeedIndex = stored.SeedIndex, MaxSteps = stored.MaxSteps,
            Status = TrialStatus.Paused, Steps = steps, Loss = rungs[^1].Loss, InitialLoss = stored.InitialLoss, Rungs = rungs,
            Message = $"Paused at rung {steps}.", WallSeconds = stored.WallSeconds,
        };
    }
}
