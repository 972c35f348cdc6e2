using System.Collections.Concurrent;
using LinAttn.AutoML;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.AutoML.Distributed;

/// <summary>Several experiments (workers) in one process sharing a study through SQLite or PostgreSQL: the table is the
/// single-process table, every job runs once, and a worker that stops hands its jobs back.</summary>
public sealed class SharedStudyTests : TorchTest
{
    private static WorkerOptions Worker(string id, ConcurrentBag<string>? log = null)
        => new() { WorkerId = id, HeartbeatSeconds = 0.5, GraceSeconds = 5, PollSeconds = 0.05, Log = log is null ? null : log.Add };

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public async Task TwoWorkers_MakeTheSingleProcessTable_AndRunEveryJobOnce(string backend)
    {
        ExperimentResult reference = await SmallStudy.Experiment(seed: 5).SetMaxConcurrentTrials(1).RunAsync();
        using var db = new StudyDatabase(backend);
        var log = new ConcurrentBag<string>();
        // Worker a, after each job it finishes, waits (at most 30 s) until b has finished one, so b takes part even
        // when it starts late; without this, a fast a sometimes ran every job before b's first claim.
        using var bRan = new ManualResetEventSlim();
        WorkerOptions Options(string id) => new()
        {
            WorkerId = id, HeartbeatSeconds = 0.5, GraceSeconds = 5, PollSeconds = 0.05,
            Log = line =>
            {
                log.Add(line);
                if (!line.StartsWith("ran trial", StringComparison.Ordinal)) return;
                if (id == "b") bRan.Set();
                else bRan.Wait(TimeSpan.FromSeconds(30));
            },
        };
        ExperimentResult[] workers = await Task.WhenAll(new[] { "a", "b" }.Select(id => Task.Run(async () =>
        {
            using IStudyStorage storage = db.Open();
            return await SmallStudy.Experiment(seed: 5).SetMaxConcurrentTrials(1).SetStorage(storage, "shared").SetWorker(Options(id)).RunAsync();
        })));

        Assert.All(workers, w => Assert.Equal(SmallStudy.Table(reference), SmallStudy.Table(w)));
        Assert.All(workers, w => Assert.Equal(reference.BestModelParameters, w.BestModelParameters));
        using IStudyStorage check = db.Open();
        Assert.Equal(SmallStudy.Table(reference), string.Join('\n', check.LoadTrials("shared").Select(t => t.ToRow())));
        IReadOnlyList<JobRecord> jobs = ((ISharedStudyStorage)check).Queue.Jobs("shared");
        Assert.All(jobs, j => Assert.Equal(("done", 1), (j.State, j.Attempts)));
        var ran = log.Where(l => l.StartsWith("ran trial", StringComparison.Ordinal)).Select(l => l.Split(':')[0]).ToList();
        Assert.Equal(jobs.Count, ran.Count);
        Assert.Equal(ran.Count, ran.Distinct().Count());
        Assert.Contains(jobs, j => j.Worker == "a");
        Assert.Contains(jobs, j => j.Worker == "b");
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public async Task AWorkerThatStops_HandsItsJobsBack_AndTheStudyStillCompletes(string backend)
    {
        ExperimentResult reference = await SmallStudy.Experiment(seed: 6).SetMaxConcurrentTrials(2).RunAsync();
        using var db = new StudyDatabase(backend);
        var log = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        int ran = 0;
        // The quitter stops in the middle of a round (after its 5th job), while its other job runs: that one goes back.
        var quitterOptions = new WorkerOptions
        {
            WorkerId = "quitter", HeartbeatSeconds = 0.5, GraceSeconds = 5, PollSeconds = 0.05,
            Log = line =>
            {
                log.Add(line);
                if (line.StartsWith("ran trial", StringComparison.Ordinal) && Interlocked.Increment(ref ran) == 5) stop.Cancel();
            },
        };
        Task<ExperimentResult> quitter = Task.Run(async () =>
        {
            using IStudyStorage storage = db.Open();
            return await SmallStudy.Experiment(seed: 6).SetMaxConcurrentTrials(2).SetStorage(storage, "s").SetWorker(quitterOptions).RunAsync(stop.Token);
        });
        ExperimentResult stopped = await quitter;
        Assert.False(stopped.IsComplete);
        ExperimentResult finisher;
        using (IStudyStorage storage = db.Open())
            finisher = await SmallStudy.Experiment(seed: 6).SetMaxConcurrentTrials(1).SetStorage(storage, "s").SetWorker(Worker("finisher", log)).RunAsync();

        Assert.True(finisher.IsComplete);
        Assert.Equal(SmallStudy.Table(reference), SmallStudy.Table(finisher));
        using IStudyStorage check = db.Open();
        Assert.All(((ISharedStudyStorage)check).Queue.Jobs("s"), j => Assert.Equal(("done", 1), (j.State, j.Attempts)));
    }

    [Fact]
    public void WorkerOptions_AreValidated_WithMessagesNamingTheOption()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SmallStudy.Experiment().SetWorker(new WorkerOptions { HeartbeatSeconds = 10, GraceSeconds = 15 }));
        Assert.Contains("GraceSeconds must be at least twice HeartbeatSeconds (10), but was 15.", e.Message);
        var poll = Assert.Throws<ArgumentOutOfRangeException>(() => SmallStudy.Experiment().SetWorker(new WorkerOptions { PollSeconds = 0 }));
        Assert.Contains("PollSeconds must be a positive finite number, but was 0.", poll.Message);
    }
}
