using System.Diagnostics;
using LinAttn.AutoML;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.AutoML.Distributed;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerProcessCollection : ICollectionFixture<WorkerReferences>
{
    /// <summary>Worker processes load the CPU: these tests run alone, after the parallel ones.</summary>
    public const string Name = "worker processes";
}

/// <summary>
/// <c>linattn tune worker</c> processes sharing one study (the acceptance tests of issue 7): three workers make the
/// single-worker table with every job run once; a worker killed with SIGKILL in the middle of a job loses that job to
/// another worker after the grace period; a server restart mid-study is ridden out with retries.
/// </summary>
[Collection(WorkerProcessCollection.Name)]
public sealed class WorkerProcessTests(WorkerReferences references) : TorchTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public async Task ThreeWorkers_CompleteTheStudy_RunningEveryJobOnce_AndMakeTheSingleWorkerTable(string backend)
    {
        using var db = new StudyDatabase(backend);
        string[] args = WorkerReferences.Arguments(WorkerReferences.Small, "three", "--heartbeat", "0.5", "--grace", "5", "--poll", "0.1");
        var workers = Enumerable.Range(0, 3).Select(_ => new WorkerProcess(db.Storage, args)).ToList();
        try
        {
            foreach (WorkerProcess w in workers) Assert.True(await w.WaitAsync(Timeout) == 0, w.Output);
            var (reference, jobCount) = await references.Table(WorkerReferences.Small);

            IReadOnlyList<JobRecord> jobs = CheckStudy(db, "three", reference, jobCount);
            Assert.All(jobs, j => Assert.Equal(1, j.Attempts));
            Assert.True(jobs.Select(j => j.Worker).Distinct().Count() >= 2, "the jobs were not shared: " + string.Join(", ", jobs.Select(j => j.Worker).Distinct()));
            CheckRanOnce(workers, jobs);
            string ranking = $"ranking: {string.Join(" > ", reference.Ranking)}; {reference.Trials.Count} trials";
            Assert.All(workers, w => Assert.Contains(ranking, w.Output));
            if (backend == StudyDatabase.Postgres)
            {
                // The connection string (and its password) is neither printed nor stored with the study.
                string password = new Npgsql.NpgsqlConnectionStringBuilder(db.Storage).Password!;
                Assert.All(workers, w => Assert.DoesNotContain(password, w.Output));
                Assert.All(workers, w => Assert.DoesNotContain("Password=", w.Output, StringComparison.OrdinalIgnoreCase));
                string stored = string.Join('\n', db.Column("SELECT concat(name, search_space, settings, library_versions, attributes) FROM studies")
                    .Concat(db.Column("SELECT concat(worker, definition, recovered_from) FROM jobs"))
                    .Concat(db.Column("SELECT concat(parameter, message, exception) FROM trials")));
                Assert.DoesNotContain(password, stored);
                Assert.DoesNotContain("127.0.0.1", stored);
            }
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [PostgresFact]
    public async Task AWorkerKilledMidJob_LosesItsJobToAnotherAfterTheGracePeriod_AndNothingIsLostOrDuplicated()
    {
        const double grace = 3;
        using var db = new StudyDatabase(StudyDatabase.Postgres);
        string[] args = WorkerReferences.Arguments(WorkerReferences.Long, "kill", "--heartbeat", "0.5", "--grace", grace.ToString(), "--poll", "0.1");
        var workers = Enumerable.Range(0, 3).Select(_ => new WorkerProcess(db.Storage, args)).ToList();
        WorkerProcess victim = workers[0];
        try
        {
            using IStudyStorage storage = db.Open();
            IStudyQueue queue = ((ISharedStudyStorage)storage).Queue;
            // Kill the victim while it runs a job of at least 200 steps (a few hundred milliseconds of training).
            JobRecord? target = null;
            var watch = Stopwatch.StartNew();
            while (target is null)
            {
                Assert.True(watch.Elapsed < Timeout, "the victim never ran a long job:\n" + victim.Output);
                target = queue.Jobs("kill").FirstOrDefault(j => j.State == "running" && IsWorker(j.Worker, victim) && j.Key.Steps - j.StartSteps >= 200);
                if (target is null) await Task.Delay(20);
            }
            victim.Kill();
            var killedAt = Stopwatch.StartNew();
            await victim.WaitAsync(Timeout);
            Assert.DoesNotContain(victim.Ran, r => r.Trial == target.Key.TrialId && r.Steps == target.Key.Steps);   // it died mid-job

            // Another worker takes the job over once the victim's last heartbeat is older than the grace period.
            JobRecord taken;
            while (true)
            {
                taken = queue.Jobs("kill").Single(j => j.Key == target.Key);
                Assert.False(taken.State == "done" && IsWorker(taken.Worker, victim), "the victim finished its job before SIGKILL landed: nothing to recover");
                if (!IsWorker(taken.Worker, victim)) break;
                Assert.True(killedAt.Elapsed < Timeout, "the killed worker's job was never recovered");
                await Task.Delay(50);
            }
            Assert.True(killedAt.Elapsed.TotalSeconds >= grace - 0.6, $"taken over {killedAt.Elapsed.TotalSeconds:F2} s after the kill, before the grace period of {grace} s");

            foreach (WorkerProcess w in workers.Skip(1)) Assert.True(await w.WaitAsync(Timeout) == 0, w.Output);
            var (reference, jobCount) = await references.Table(WorkerReferences.Long);
            IReadOnlyList<JobRecord> jobs = CheckStudy(db, "kill", reference, jobCount);
            JobRecord recovered = jobs.Single(j => j.Key == target.Key);
            Assert.Equal(2, recovered.Attempts);
            Assert.True(IsWorker(recovered.RecoveredFrom, victim), $"recovered from {recovered.RecoveredFrom}");
            Assert.All(jobs.Where(j => j.Key != target.Key), j => Assert.Equal(1, j.Attempts));
            Assert.Contains(workers.Skip(1), w => w.Output.Contains($"recovered trial {target.Key.TrialId} steps {target.StartSteps}->{target.Key.Steps}"));
            CheckRanOnce(workers, jobs);
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [PostgresFact]
    public async Task TheServerRestartingMidStudy_WorkersRetryWithBackoff_AndContinue()
    {
        string restart = Environment.GetEnvironmentVariable(TestPostgres.RestartVariable)
            ?? throw new InvalidOperationException($"{TestPostgres.RestartVariable} is not set (.ci/with-postgres sets it).");
        using var db = new StudyDatabase(StudyDatabase.Postgres);
        string[] args = WorkerReferences.Arguments(WorkerReferences.Long, "restart", "--heartbeat", "1", "--grace", "20", "--poll", "0.1");
        var workers = Enumerable.Range(0, 2).Select(_ => new WorkerProcess(db.Storage, args)).ToList();
        try
        {
            using (IStudyStorage storage = db.Open())
            {
                IStudyQueue queue = ((ISharedStudyStorage)storage).Queue;
                var watch = Stopwatch.StartNew();
                while (queue.Jobs("restart").Count(j => j.State == "done") < 12)
                {
                    Assert.True(watch.Elapsed < Timeout, "the workers made no progress:\n" + workers[0].Output);
                    await Task.Delay(50);
                }
            }
            using (var shell = Process.Start(new ProcessStartInfo("bash", new[] { "-c", restart }) { RedirectStandardOutput = true, RedirectStandardError = true })!)
            {
                await shell.WaitForExitAsync();
                Assert.True(shell.ExitCode == 0, "restart failed: " + await shell.StandardError.ReadToEndAsync());
            }

            foreach (WorkerProcess w in workers) Assert.True(await w.WaitAsync(Timeout) == 0, w.Output);
            Assert.Contains(workers, w => w.Output.Contains("storage unavailable"));
            var (reference, jobCount) = await references.Table(WorkerReferences.Long);
            IReadOnlyList<JobRecord> jobs = CheckStudy(db, "restart", reference, jobCount);
            CheckRanOnce(workers, jobs);
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>The stored table equals the single-process one (trial rows and final weights), and every job is done.</summary>
    private static IReadOnlyList<JobRecord> CheckStudy(StudyDatabase db, string study, ExperimentResult reference, int jobCount)
    {
        using IStudyStorage storage = db.Open();
        IReadOnlyList<TrialResult> trials = storage.LoadTrials(study);
        Assert.Equal(SmallStudy.Table(reference), string.Join('\n', trials.Select(t => t.ToRow())));
        Assert.Equal(reference.Trials.Select(t => t.FinalParameters), trials.Select(t => t.FinalParameters));
        IReadOnlyList<JobRecord> jobs = ((ISharedStudyStorage)storage).Queue.Jobs(study);
        Assert.Equal(jobCount, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("done", j.State));
        return jobs;
    }

    /// <summary>Every job was reported run (and stored) by exactly one worker.</summary>
    private static void CheckRanOnce(IEnumerable<WorkerProcess> workers, IReadOnlyList<JobRecord> jobs)
    {
        var ran = workers.SelectMany(w => w.Ran).ToList();
        Assert.Equal(jobs.Select(j => (j.Key.TrialId, j.StartSteps, j.Key.Steps)).Order(), ran.Order());
    }

    private static bool IsWorker(string? workerId, WorkerProcess process) => workerId?.Contains($":{process.Id}:", StringComparison.Ordinal) == true;
}
