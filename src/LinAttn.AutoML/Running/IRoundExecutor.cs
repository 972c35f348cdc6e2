namespace LinAttn.AutoML;

/// <summary>Runs the jobs of one round of the experiment: in this process (<see cref="LocalRound"/>), or as one of the
/// workers sharing the study (<see cref="SharedRound"/>).</summary>
internal interface IRoundExecutor
{
    /// <summary>Runs (or reuses, or waits for) every job of the round and returns one outcome per job, in any order.</summary>
    /// <param name="round">The round's index (0, 1, ... in the order the experiment makes them; the same in every worker).</param>
    /// <param name="jobs">The round's jobs.</param>
    /// <param name="merge">Folds a job's own result into its trial's state before the round (what gets stored).</param>
    /// <param name="token">Cancellation and the time limit.</param>
    Task<IReadOnlyList<JobOutcome>> RunAsync(int round, IReadOnlyList<TrialSettings> jobs, Func<TrialResult, TrialResult> merge, CancellationToken token);
}

/// <summary>A job's result. <paramref name="FromStorage"/>: read from the study (a stored trial that covers the job, or a
/// shared job completed by some worker), so it is not saved again and its wall time is the trial's total.</summary>
internal readonly record struct JobOutcome(TrialResult Result, bool FromStorage);
