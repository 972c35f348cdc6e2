namespace LinAttn.AutoML;

/// <summary>The study schema (version 1), shared by the SQLite store and, later, other SQL stores.</summary>
internal static class Schema
{
    public const string TrialColumns = "trial_id, parameter, phase, seed_index, max_steps, status, steps, loss, metric, initial_loss, diverged_at_step, message, exception, wall_seconds, final_parameters";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS studies (
            name TEXT PRIMARY KEY, search_space TEXT NOT NULL, search_space_hash TEXT NOT NULL, seed TEXT NOT NULL,
            settings TEXT NOT NULL, library_versions TEXT NOT NULL, created_utc TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS trials (
            study TEXT NOT NULL, trial_id INTEGER NOT NULL, parameter TEXT NOT NULL, phase TEXT NOT NULL, seed_index INTEGER NOT NULL,
            max_steps INTEGER NOT NULL, status TEXT NOT NULL, steps INTEGER NOT NULL, loss REAL, metric REAL, initial_loss REAL,
            diverged_at_step INTEGER, message TEXT NOT NULL, exception TEXT, wall_seconds REAL NOT NULL, final_parameters BLOB,
            PRIMARY KEY (study, trial_id));
        CREATE TABLE IF NOT EXISTS rungs (
            study TEXT NOT NULL, trial_id INTEGER NOT NULL, steps INTEGER NOT NULL, loss REAL, PRIMARY KEY (study, trial_id, steps));
        """;
}
