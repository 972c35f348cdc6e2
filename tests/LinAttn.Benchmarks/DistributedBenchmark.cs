using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LinAttn.AutoML;
using LinAttn.Training;
using Npgsql;

namespace LinAttn.Benchmarks;

/// <summary>
/// Issue 7's measurements. (1) Trials per minute of one study run by 1, 2 and 3 <c>linattn tune worker</c> processes on
/// PostgreSQL (one job at a time each, one thread each): wall time from starting the workers until the last exits, and
/// the rate inside the study (first claim to last completion, server clock). (2) Storage overhead per trial: the same
/// experiment with a runner that trains nothing (<see cref="InstantTrialRunner"/>), in memory vs SQLite vs PostgreSQL, as
/// one worker; the difference divided by the trials. Needs LINATTN_TEST_POSTGRES: run under .ci/with-postgres, alone on
/// the machine. Medians over repeats.
/// </summary>
internal static class DistributedBenchmark
{
    /// <param name="part">"overhead", "throughput" or "all".</param>
    public static int Run(string part, int steps, int batchSize, int repeats)
    {
        string? server = Environment.GetEnvironmentVariable("LINATTN_TEST_POSTGRES");
        if (string.IsNullOrEmpty(server))
        {
            Console.Error.WriteLine("distributed: LINATTN_TEST_POSTGRES is not set. Run: .ci/with-postgres dotnet run -c Release --project tests/LinAttn.Benchmarks -- distributed");
            return 2;
        }
        if (part is "all" or "overhead")
        {
            Console.WriteLine($"== storage overhead per trial (instant runner), {repeats * 2 + 1} repeats ==");
            StorageOverhead(server, repeats * 2 + 1);
        }
        if (part is "all" or "throughput")
        {
            Console.WriteLine($"== trials per minute, setting1, sgdm+adam, {steps} steps per trial, B = {batchSize}, {repeats} repeats ==");
            Throughput(server, steps, batchSize, repeats);
        }
        return 0;
    }

    private static void StorageOverhead(string server, int repeats)
    {
        AutoMLExperiment Experiment() => new AutoMLExperiment(Task(64), 3)
            .AddOptimizer<SgdMomentumSearchOptions>("sgdm").AddOptimizer<AdamSearchOptions>("adam")
            .SetStepBudget(90).SetDefaultTuner(new DefaultTunerOptions { ConfirmationSeeds = 5 }).SetTrialRunner(new InstantTrialRunner())
            .SetMaxConcurrentTrials(1).SetWorker(new WorkerOptions { PollSeconds = 0.01 });
        string folder = Path.Combine(Path.GetTempPath(), "linattn-bench-" + Guid.NewGuid().ToString("N"));
        var seconds = new Dictionary<string, List<double>> { ["memory"] = new(), ["sqlite"] = new(), ["postgres"] = new() };
        int trials = 0, jobs = 0;
        for (int r = -1; r < repeats; r++)   // r = -1: warm-up
        {
            foreach (string store in seconds.Keys)
            {
                string study = $"overhead-{Guid.NewGuid():N}";
                using IStudyStorage storage = store switch
                {
                    "memory" => new InMemoryStudyStorage(),
                    "sqlite" => new SqliteStudyStorage(Path.Combine(folder, $"{study}.db")),
                    _ => new PostgresStudyStorage(server),
                };
                var monitor = new JobCounter();
                var clock = Stopwatch.StartNew();
                ExperimentResult result = Experiment().SetStorage(storage, study).SetMonitor(monitor).RunAsync().GetAwaiter().GetResult();
                if (r >= 0) seconds[store].Add(clock.Elapsed.TotalSeconds);
                trials = result.Trials.Count;
                jobs = monitor.Jobs;
            }
        }
        Directory.Delete(folder, true);
        double memory = Harness.Timing.Median(seconds["memory"]);
        Console.WriteLine($"  {trials} trials, {jobs} jobs per study; medians over {repeats} repeats");
        foreach (var (store, list) in seconds)
        {
            double m = Harness.Timing.Median(list);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {store,-9} {m * 1e3,8:F0} ms per study (min {list.Min() * 1e3:F0}, max {list.Max() * 1e3:F0}); overhead vs memory {(m - memory) / trials * 1e3,6:F2} ms per trial, {(m - memory) / jobs * 1e3,6:F2} ms per job"));
        }
    }

    private static void Throughput(string server, int steps, int batchSize, int repeats)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "linattn.dll");
        var results = new Dictionary<int, List<(double Wall, double Window, int Trials)>> { [1] = new(), [2] = new(), [3] = new() };
        for (int r = 0; r < repeats; r++)
        {
            foreach (int workers in results.Keys)
            {
                string study = $"throughput-{workers}-{Guid.NewGuid():N}";
                string[] args =
                {
                    cli, "tune", "worker", "--study", study, "--preset", "setting1", "--optimizer", "sgdm,adam", "--steps", steps.ToString(CultureInfo.InvariantCulture),
                    "--batch-size", batchSize.ToString(CultureInfo.InvariantCulture), "--confirm-seeds", "5", "--seed", "0",
                };
                var clock = Stopwatch.StartNew();
                double cpuBefore = ChildrenCpuSeconds();
                var processes = Enumerable.Range(0, workers).Select(_ => Start(args, server)).ToList();
                foreach (Process p in processes)
                {
                    p.WaitForExit();
                    if (p.ExitCode != 0) throw new InvalidOperationException($"a worker exited with {p.ExitCode}: {p.StandardError.ReadToEnd()}");
                    p.Dispose();
                }
                double cpu = ChildrenCpuSeconds() - cpuBefore;
                double wall = clock.Elapsed.TotalSeconds;
                var (window, trials) = Window(server, study);
                results[workers].Add((wall, window, trials));
                Profile(server, study, bound: workers == 1);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  repeat {r}: {workers} worker(s): {trials} trials, wall {wall:F1} s ({trials / wall * 60:F0} trials/min), in-study {window:F1} s ({trials / window * 60:F0} trials/min), workers' CPU {cpu:F1} s; load average {Load()}"));
            }
        }
        double baseline = Harness.Timing.Median(results[1].Select(x => x.Trials / x.Wall * 60).ToList());
        Console.WriteLine("  workers | trials | wall s (median) | trials/min, wall | trials/min, in-study | speed-up (wall)");
        foreach (var (workers, list) in results)
        {
            double perMinute = Harness.Timing.Median(list.Select(x => x.Trials / x.Wall * 60).ToList());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {workers} | {list[0].Trials} | {Harness.Timing.Median(list.Select(x => x.Wall).ToList()):F1} | {perMinute:F0} | {Harness.Timing.Median(list.Select(x => x.Trials / x.Window * 60).ToList()):F0} | {perMinute / baseline:F2}"));
        }
    }

    /// <summary>User + system CPU seconds of this process's children that have exited and been waited for
    /// (getrusage(RUSAGE_CHILDREN)): the workers' CPU time, which <see cref="Process.TotalProcessorTime"/> cannot give
    /// once a process has exited.</summary>
    private static double ChildrenCpuSeconds()
    {
        var usage = new long[18];   // struct rusage on 64-bit Linux: ru_utime, ru_stime (timeval: seconds, microseconds), 14 counters
        if (!OperatingSystem.IsLinux() || GetRusage(-1, usage) != 0) return double.NaN;
        return usage[0] + usage[1] * 1e-6 + usage[2] + usage[3] * 1e-6;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, [Out] long[] usage);

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static Process Start(string[] args, string server)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = false, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["LINATTN_STORAGE"] = server;
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.RedirectStandardOutput = true;
        var p = Process.Start(start)!;
        p.OutputDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        return p;
    }

    /// <summary>Where a run's time went: the jobs' training seconds (claim to completion, summed) and the promotions
    /// that ran on a worker other than the one that trained the trial's previous rung (those retrain from step 0).
    /// With <paramref name="bound"/> (the one-worker run), also what the study's rounds allow: with these job
    /// durations, the time N workers would need if each round's jobs were spread perfectly (longest job first) and rounds
    /// took no time to change.</summary>
    private static void Profile(string server, string study, bool bound)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT j.round_index, j.finished_at - j.claimed_at, j.start_steps > 0, j.start_steps > 0 AND p.worker <> j.worker, j.start_steps " +
            "FROM jobs j LEFT JOIN jobs p ON p.study = j.study AND p.trial_id = j.trial_id AND p.steps = j.start_steps WHERE j.study = @s ORDER BY j.round_index", connection);
        command.Parameters.AddWithValue("s", study);
        var rounds = new SortedDictionary<int, List<double>>();
        int promotions = 0, elsewhere = 0;
        long retrainedSteps = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                int round = reader.GetInt32(0);
                if (!rounds.TryGetValue(round, out var list)) rounds[round] = list = new List<double>();
                list.Add(reader.GetDouble(1));
                if (reader.GetBoolean(2)) promotions++;
                if (!reader.IsDBNull(3) && reader.GetBoolean(3))
                {
                    elsewhere++;
                    retrainedSteps += reader.GetInt32(4);
                }
            }
        }
        double work = rounds.Values.Sum(r => r.Sum());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    jobs: {rounds.Values.Sum(r => r.Count)} in {rounds.Count} rounds, training {work:F1} s; promotions {promotions}, of which {elsewhere} on another worker (retrained {retrainedSteps} steps)"));
        if (!bound) return;
        string bounds = string.Join(", ", new[] { 1, 2, 3 }.Select(n =>
        {
            double makespan = rounds.Values.Sum(r =>
            {
                var loads = new double[n];
                foreach (double d in r.OrderDescending()) loads[Array.IndexOf(loads, loads.Min())] += d;
                return loads.Max();
            });
            return string.Create(CultureInfo.InvariantCulture, $"{n}: {makespan:F1} s (speed-up {work / makespan:F2})");
        }));
        Console.WriteLine($"    these jobs perfectly spread over N workers, with round barriers: {bounds}");
    }

    /// <summary>Seconds from the study's first claim to its last completion (the server's clock), and its trials.</summary>
    private static (double Seconds, int Trials) Window(string server, string study)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT max(finished_at) - min(claimed_at), (SELECT count(*) FROM trials WHERE study = @s) FROM jobs WHERE study = @s", connection);
        command.Parameters.AddWithValue("s", study);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetDouble(0), (int)reader.GetInt64(1));
    }

    private static RunSpec Task(int batchSize)
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam, seed: 0);
        return spec with { Training = spec.Training with { BatchSize = batchSize, Threads = 1 } };
    }


    private sealed class JobCounter : IMonitor
    {
        public int Jobs;

        public void ReportRunningTrial(TrialSettings settings) => Jobs++;

        public void ReportRung(TrialResult result)
        {
        }

        public void ReportCompletedTrial(TrialResult result)
        {
        }

        public void ReportBestTrial(TrialResult result)
        {
        }

        public void ReportFailTrial(TrialSettings settings, Exception? exception = null)
        {
        }
    }
}
