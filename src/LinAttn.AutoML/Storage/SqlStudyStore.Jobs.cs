
namespace LinAttn.AutoML;

/// <summary>
/// The job queue. A job is one (trial, rung) step of a round: its row is published by every worker that reaches the
/// round (idempotent inserts, checked against what the others published), claimed by exactly one worker with a single
/// UPDATE whose inner SELECT skips rows locked by other claimers (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>; SQLite:
/// the database's single writer), kept alive by heartbeats, and completed together with the trial's row in one
/// transaction that succeeds only while the claim is still the worker's. A claim whose heartbeat is older than the
/// claimer's grace period is taken over by the next claimer.
/// </summary>
internal sealed partial class SqlStudyStore
{
    public const string Queued = "queued", Running = "running", Done = "done";

    /// <inheritdoc />
    public void Publish(string study, int round, IReadOnlyList<QueuedJob> jobs) => Run($"publishing round {round} of study '{study}'", (c, tx) =>
    {
        int version = ReadVersion(c, tx) ?? 0;
        CheckNotNewer(version);
        foreach (QueuedJob[] chunk in jobs.Chunk(100))
        {
            var rows = chunk.Select((j, i) => (Sql: $"(@s, @t{i}, @k{i}, @b{i}, @r, @d{i}, @st{i}, 0)", Parameters: new (string, object?)[]
            {
                ($"@t{i}", j.Key.TrialId), ($"@k{i}", j.Key.Steps), ($"@b{i}", j.StartSteps), ($"@d{i}", j.Definition), ($"@st{i}", j.Done ? Done : Queued),
            })).ToList();
            Execute(c, tx, $"INSERT INTO jobs(study, trial_id, steps, start_steps, round_index, definition, state, attempts) VALUES {string.Join(", ", rows.Select(r => r.Sql))} " +
                           "ON CONFLICT (study, trial_id, steps) DO NOTHING",
                rows.SelectMany(r => r.Parameters).Prepend(("@r", round)).Prepend(("@s", study)).ToArray());
        }
        var stored = Query(c, tx, "SELECT trial_id, steps, definition FROM jobs WHERE study = @s AND round_index = @r",
            r => (Key: new JobKey(Int(r, 0), Int(r, 1)), Definition: r.GetString(2)), ("@s", study), ("@r", round)).ToDictionary(x => x.Key, x => x.Definition);
        foreach (QueuedJob job in jobs)
        {
            if (!stored.TryGetValue(job.Key, out string? other) || other != job.Definition || stored.Count != jobs.Count)
                throw new InvalidOperationException(
                    $"Study '{study}' in {Where}: this worker's round {round} differs from the one other workers published " +
                    $"(trial {job.Key.TrialId} to {job.Key.Steps} steps: here '{job.Definition}', stored '{other ?? "missing"}'; {jobs.Count} jobs here, {stored.Count} stored). " +
                    "Every worker of a study must run the same experiment with the same library version.");
        }
        return 0;
    }, write: true);

    /// <inheritdoc />
    public JobClaim? Claim(string study, int round, string worker, double graceSeconds, IReadOnlyCollection<int> prefer, IReadOnlyCollection<int> exclude)
    {
        var (preferList, preferParameters) = InList("p", prefer);
        var (excludeList, excludeParameters) = InList("x", exclude);
        string order = prefer.Count > 0 ? $"CASE WHEN trial_id IN ({preferList}) THEN 0 ELSE 1 END, trial_id" : "trial_id";
        string skip = exclude.Count > 0 ? $" AND trial_id NOT IN ({excludeList})" : "";
        string sql =
            $"UPDATE jobs SET state = '{Running}', worker = @w, attempts = CASE WHEN state = '{Running}' AND worker = @w THEN attempts ELSE attempts + 1 END, " +
            $"claimed_at = {_dialect.Now}, heartbeat = {_dialect.Now}, " +
            $"recovered_from = CASE WHEN state = '{Running}' AND worker <> @w THEN worker ELSE recovered_from END " +
            "WHERE study = @s AND round_index = @r AND trial_id = (" +
            $"SELECT trial_id FROM jobs WHERE study = @s AND round_index = @r{skip} AND (state = '{Queued}' OR (state = '{Running}' AND (worker = @w OR heartbeat < {_dialect.Now} - @g))) " +
            $"ORDER BY {order} LIMIT 1{_dialect.SkipLocked}) " +
            "RETURNING trial_id, steps, attempts, recovered_from";
        var parameters = preferParameters.Concat(excludeParameters).Concat(new (string, object?)[] { ("@s", study), ("@r", round), ("@w", worker), ("@g", graceSeconds) }).ToArray();
        return Run($"claiming a job of study '{study}'", (c, tx) =>
            Query(c, tx, sql, r => new JobClaim(new JobKey(Int(r, 0), Int(r, 1)), Int(r, 2), Text(r, 3)), parameters).FirstOrDefault());
    }

    /// <inheritdoc />
    public bool Heartbeat(string study, JobKey job, string worker) => Run($"renewing the claim on trial {job.TrialId}", (c, tx) =>
        Execute(c, tx, $"UPDATE jobs SET heartbeat = {_dialect.Now} WHERE study = @s AND trial_id = @t AND steps = @k AND worker = @w AND state = '{Running}'",
            ("@s", study), ("@t", job.TrialId), ("@k", job.Steps), ("@w", worker)) == 1, retry: false);

    /// <inheritdoc />
    public bool Complete(string study, JobKey job, string worker, TrialResult merged) => Run($"storing the result of trial {job.TrialId}", (c, tx) =>
    {
        int changed = Execute(c, tx, $"UPDATE jobs SET state = '{Done}', finished_at = {_dialect.Now} WHERE study = @s AND trial_id = @t AND steps = @k AND worker = @w AND state = '{Running}'",
            ("@s", study), ("@t", job.TrialId), ("@k", job.Steps), ("@w", worker));
        if (changed == 1)
        {
            WriteTrial(c, tx!, study, merged);
            return true;
        }
        // Not running under this worker's claim: either an earlier attempt of this very call committed (its reply was
        // lost), or the claim expired and another worker took the job over.
        return Query(c, tx, "SELECT state, worker FROM jobs WHERE study = @s AND trial_id = @t AND steps = @k",
            r => r.GetString(0) == Done && Text(r, 1) == worker, ("@s", study), ("@t", job.TrialId), ("@k", job.Steps)).FirstOrDefault();
    }, write: true);

    /// <inheritdoc />
    public void Release(string study, JobKey job, string worker) => Run($"releasing trial {job.TrialId}", (c, tx) =>
        Execute(c, tx, $"UPDATE jobs SET state = '{Queued}', worker = NULL, heartbeat = NULL, attempts = attempts - 1 " +
                       $"WHERE study = @s AND trial_id = @t AND steps = @k AND worker = @w AND state = '{Running}'",
            ("@s", study), ("@t", job.TrialId), ("@k", job.Steps), ("@w", worker)));

    /// <inheritdoc />
    public RoundProgress Progress(string study, int round) => Run($"reading round {round} of study '{study}'", (c, tx) =>
    {
        var counts = Query(c, tx, "SELECT state, COUNT(*) FROM jobs WHERE study = @s AND round_index = @r GROUP BY state",
            r => (State: r.GetString(0), Count: Int(r, 1)), ("@s", study), ("@r", round)).ToDictionary(x => x.State, x => x.Count);
        return new RoundProgress(counts.GetValueOrDefault(Queued), counts.GetValueOrDefault(Running), counts.GetValueOrDefault(Done));
    });

    /// <inheritdoc />
    public IReadOnlyList<JobRecord> Jobs(string study) => Run($"listing the jobs of study '{study}'", (c, tx) =>
        Query(c, tx, $"SELECT {Schema.JobColumns} FROM jobs WHERE study = @s ORDER BY round_index, trial_id", r => new JobRecord(
            new JobKey(Int(r, 0), Int(r, 1)), Int(r, 2), Int(r, 3), r.GetString(4), Text(r, 5), Int(r, 6), Text(r, 7)), ("@s", study)));
}
