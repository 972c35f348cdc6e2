namespace LinAttn.AutoML;

/// <summary>
/// Resume by replay: the experiment re-makes its decisions and, for each job, reuses the stored state of the trial when
/// it already covers the job (the same configuration trained at least to the job's rung), instead of training again.
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
        bool reached = stored.Rungs.Any(r => r.Steps == job.Steps);
        if (reached && (stored.Steps > job.Steps || stored.Status is TrialStatus.Paused or TrialStatus.Pruned))
        {
            return Trim(stored, job.Steps);
        }
        if (stored.Status == TrialStatus.Completed && stored.Steps == job.Steps) return stored;
        if (stored.Status is TrialStatus.Diverged or TrialStatus.Failed && stored.Steps > job.StartSteps && stored.Steps <= job.Steps) return stored;
        return null;
    }

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
