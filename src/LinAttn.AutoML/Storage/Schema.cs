namespace LinAttn.AutoML;

/// <summary>
/// The study schema, written once for every SQL store. Column types that differ between engines are tokens that the
/// dialect fills in (<c>{double}</c>: an 8-byte float; <c>{blob}</c>: bytes). <see cref="Migrations"/>[k] upgrades
/// version k to k + 1; a store applies the missing ones in order, in one locked transaction, and records
/// <see cref="Version"/> in <c>meta.schema_version</c>. A store whose version is newer than <see cref="Version"/> is
/// refused (an older worker must not write a schema it does not know).
/// </summary>
internal static class Schema
{
    /// <summary>The schema version this library writes and reads.</summary>
    public const int Version = 2;

    public const string TrialColumns = "trial_id, parameter, phase, seed_index, max_steps, status, steps, loss, metric, initial_loss, diverged_at_step, message, exception, wall_seconds, final_parameters";

    public const string JobColumns = "trial_id, steps, start_steps, round_index, state, worker, attempts, recovered_from";

    /// <summary>The key/value table that holds the schema version (created before any migration runs).</summary>
    public const string Meta = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

    /// <summary>Migration k upgrades version k to k + 1 (statements separated by ';').</summary>
    public static readonly string[] Migrations =
    {
        // 0 -> 1: studies, trials (latest state of each trial) and the loss at every rung reached.
        """
        CREATE TABLE IF NOT EXISTS studies (
            name TEXT PRIMARY KEY, search_space TEXT NOT NULL, search_space_hash TEXT NOT NULL, seed TEXT NOT NULL,
            settings TEXT NOT NULL, library_versions TEXT NOT NULL, created_utc TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS trials (
            study TEXT NOT NULL, trial_id INTEGER NOT NULL, parameter TEXT NOT NULL, phase TEXT NOT NULL, seed_index INTEGER NOT NULL,
            max_steps INTEGER NOT NULL, status TEXT NOT NULL, steps INTEGER NOT NULL, loss {double}, metric {double}, initial_loss {double},
            diverged_at_step INTEGER, message TEXT NOT NULL, exception TEXT, wall_seconds {double} NOT NULL, final_parameters {blob},
            PRIMARY KEY (study, trial_id));
        CREATE TABLE IF NOT EXISTS rungs (
            study TEXT NOT NULL, trial_id INTEGER NOT NULL, steps INTEGER NOT NULL, loss {double}, PRIMARY KEY (study, trial_id, steps))
        """,

        // 1 -> 2: the job queue of workers sharing a study (one row per (trial, rung) job; times are server epoch
        // seconds), and free-form study attributes (linattn tune keeps its recipe there).
        """
        CREATE TABLE jobs (
            study TEXT NOT NULL, trial_id INTEGER NOT NULL, steps INTEGER NOT NULL, start_steps INTEGER NOT NULL,
            round_index INTEGER NOT NULL, definition TEXT NOT NULL, state TEXT NOT NULL, worker TEXT, attempts INTEGER NOT NULL,
            recovered_from TEXT, claimed_at {double}, heartbeat {double}, finished_at {double},
            PRIMARY KEY (study, trial_id, steps));
        CREATE INDEX jobs_by_round ON jobs (study, round_index, state);
        ALTER TABLE studies ADD COLUMN attributes TEXT
        """,
    };

    /// <summary>The statements of migration <paramref name="from"/> with the dialect's types.</summary>
    public static IEnumerable<string> Statements(int from, SqlDialect dialect)
        => dialect.Types(Migrations[from]).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
