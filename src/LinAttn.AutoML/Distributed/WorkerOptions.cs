using System.Globalization;
using LinAttn.AutoML.Internal;

namespace LinAttn.AutoML;

/// <summary>
/// How an experiment takes part in a study shared by several workers (<see cref="AutoMLExperiment.SetWorker"/>;
/// <c>linattn tune worker</c>). Every experiment on a <see cref="SqliteStudyStorage"/> or
/// <see cref="PostgresStudyStorage"/> is a worker: it claims each job before running it, so any number of processes
/// can run the same experiment on one study and together produce the table a single process would.
/// </summary>
public sealed class WorkerOptions
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>A running job refreshes its heartbeat every 10 s.</summary>
        public const double HeartbeatSeconds = 10;

        /// <summary>A job whose heartbeat is 60 s old (6 missed beats) belongs to a dead worker and is run again.</summary>
        public const double GraceSeconds = 60;

        /// <summary>A worker waiting for other workers' jobs looks again every 0.25 s (two small indexed queries).</summary>
        public const double PollSeconds = 0.25;

        /// <summary>A job that lost its worker 3 times is recorded as Failed instead of being run a fourth time.</summary>
        public const int MaxAttempts = 3;
    }

    /// <summary>This worker's name in the job table (default: host, process id and a random suffix).</summary>
    public string WorkerId { get; init; } = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}");

    /// <summary>Seconds between heartbeats of a running job. Range: &gt; 0. Default 10.</summary>
    public double HeartbeatSeconds { get; init; } = Defaults.HeartbeatSeconds;

    /// <summary>Seconds without a heartbeat after which another worker takes a running job over (its worker is
    /// presumed dead). Range: ≥ 2 × <see cref="HeartbeatSeconds"/>. Default 60; make it longer than a server restart
    /// or network outage should last, or the job of a live worker is run again (its result is then discarded).</summary>
    public double GraceSeconds { get; init; } = Defaults.GraceSeconds;

    /// <summary>Seconds between looks at the queue while other workers run the round's last jobs. Range: &gt; 0. Default 0.25.</summary>
    public double PollSeconds { get; init; } = Defaults.PollSeconds;

    /// <summary>Claims of one job before it is recorded as Failed (workers kept dying on it). Range: ≥ 1. Default 3.</summary>
    public int MaxAttempts { get; init; } = Defaults.MaxAttempts;

    /// <summary>Receives one line per event of this worker: jobs claimed, run, recovered, lost, released, and storage
    /// retries (never credentials).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Guard.That(!string.IsNullOrWhiteSpace(WorkerId), nameof(WorkerId), "WorkerId must not be empty.");
        Guard.Positive(HeartbeatSeconds, nameof(HeartbeatSeconds));
        Guard.Positive(PollSeconds, nameof(PollSeconds));
        Guard.Positive(MaxAttempts, nameof(MaxAttempts));
        Guard.That(GraceSeconds >= 2 * HeartbeatSeconds && double.IsFinite(GraceSeconds), nameof(GraceSeconds),
            $"GraceSeconds must be at least twice HeartbeatSeconds ({Guard.F(HeartbeatSeconds)}), but was {Guard.F(GraceSeconds)}.");
    }
}
