namespace LinAttn.AutoML;

/// <summary>
/// The job queue through which several workers (processes, possibly on several machines) share one study. A round's
/// jobs are a deterministic function of the stored results, so every worker publishes the same jobs; each job is then
/// claimed by one worker, kept alive by heartbeats, and completed together with its trial's row.
/// </summary>
internal interface IStudyQueue
{
    /// <summary>The store, for messages (no credentials).</summary>
    string Where { get; }

    /// <summary>Receives one line per storage retry.</summary>
    Action<string>? Log { get; set; }

    /// <summary>The latest state of the given trials, read from one snapshot.</summary>
    IReadOnlyList<TrialResult> LoadTrials(string study, IReadOnlyCollection<int>? trialIds);

    /// <summary>Adds the round's jobs that are not there yet, then checks that the stored round equals
    /// <paramref name="jobs"/> (same keys and definitions); throws <see cref="InvalidOperationException"/> when not.</summary>
    void Publish(string study, int round, IReadOnlyList<QueuedJob> jobs);

    /// <summary>Atomically takes one job of the round that is queued, or running under an expired claim (no heartbeat
    /// for <paramref name="graceSeconds"/>) or under this worker's own lost claim; jobs of <paramref name="prefer"/>
    /// first (trials whose state the worker holds), never those of <paramref name="exclude"/>; null when none.</summary>
    JobClaim? Claim(string study, int round, string worker, double graceSeconds, IReadOnlyCollection<int> prefer, IReadOnlyCollection<int> exclude);

    /// <summary>Renews the claim (one attempt, no retries); false when the claim is no longer this worker's.</summary>
    bool Heartbeat(string study, JobKey job, string worker);

    /// <summary>Marks the job done and writes the trial's new state in one transaction, only while the claim is still
    /// this worker's; false when another worker took it over (nothing is written).</summary>
    bool Complete(string study, JobKey job, string worker, TrialResult merged);

    /// <summary>Puts a claimed job back in the queue (the worker stops: cancellation or time limit).</summary>
    void Release(string study, JobKey job, string worker);

    /// <summary>How many of the round's jobs are queued, running and done.</summary>
    RoundProgress Progress(string study, int round);

    /// <summary>Every job of the study.</summary>
    IReadOnlyList<JobRecord> Jobs(string study);
}

/// <summary>A study storage whose studies workers can share (SQLite and PostgreSQL).</summary>
internal interface ISharedStudyStorage
{
    /// <summary>The queue of the storage.</summary>
    IStudyQueue Queue { get; }
}
