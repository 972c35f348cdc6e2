namespace LinAttn.AutoML;

/// <summary>A job's identity in its study: the trial and the rung (steps) it trains to.</summary>
internal readonly record struct JobKey(int TrialId, int Steps);

/// <summary>A job as a worker publishes it: <see cref="Definition"/> (phase, seed index, horizon, start step and
/// configuration) lets workers check that they agree; <see cref="Done"/> marks a job the stored trial already covers.</summary>
internal sealed record QueuedJob(JobKey Key, int StartSteps, string Definition, bool Done);

/// <summary>A job a worker now holds; <see cref="RecoveredFrom"/> names the worker whose claim had expired.</summary>
internal sealed record JobClaim(JobKey Key, int Attempts, string? RecoveredFrom);

/// <summary>Counts of a round's jobs by state.</summary>
internal readonly record struct RoundProgress(int Queued, int Running, int Done);

/// <summary>A job row, for status displays and tests.</summary>
internal sealed record JobRecord(JobKey Key, int StartSteps, int Round, string State, string? Worker, int Attempts, string? RecoveredFrom);
