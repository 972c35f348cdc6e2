using System.Collections.Concurrent;
using LinAttn.AutoML;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.AutoML.Distributed;

/// <summary>The job queue's protocol (publish, claim, heartbeat, complete, release, take-over), on SQLite and PostgreSQL.</summary>
public sealed class JobQueueTests
{
    private const string Study = "q";

    private static readonly Parameter Config = new("adam", OptimizerKind.Adam, new Dictionary<string, double> { ["LearningRate"] = 0.01 });

    private static List<QueuedJob> Jobs(int count, int steps = 10, string definition = "d")
        => Enumerable.Range(0, count).Select(i => new QueuedJob(new JobKey(i, steps), 0, $"{definition}{i}", false)).ToList();

    private static TrialResult Result(JobKey key, string message = "done") => new()
    {
        TrialId = key.TrialId, Parameter = Config, MaxSteps = 30, Status = TrialStatus.Paused, Steps = key.Steps, Loss = 0.5,
        Rungs = new[] { new RungResult(key.Steps, 0.5) }, Message = message,
    };

    private static IStudyQueue Open(StudyDatabase db, out IStudyStorage storage)
    {
        storage = db.Open();
        storage.OpenStudy(new StudyInfo(Study, "{}", "h", 1, "{}", "v", "now"));
        return ((ISharedStudyStorage)storage).Queue;
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public async Task ConcurrentClaimers_GetEveryJobExactlyOnce(string backend)
    {
        using var db = new StudyDatabase(backend);
        const int jobs = 60, workers = 4;
        var claimed = new ConcurrentBag<(int Trial, string Worker)>();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() =>
        {
            IStudyQueue queue = Open(db, out IStudyStorage storage);
            using (storage)
            {
                queue.Publish(Study, 0, Jobs(jobs));   // every worker publishes the same round
                while (queue.Claim(Study, 0, $"w{w}", 60, Array.Empty<int>(), Array.Empty<int>()) is JobClaim claim)
                {
                    claimed.Add((claim.Key.TrialId, $"w{w}"));
                    Assert.True(queue.Complete(Study, claim.Key, $"w{w}", Result(claim.Key)));
                }
            }
        })));
        Assert.Equal(Enumerable.Range(0, jobs), claimed.Select(c => c.Trial).Order());
        IStudyQueue check = Open(db, out IStudyStorage s);
        using (s)
        {
            Assert.Equal(new RoundProgress(0, 0, jobs), check.Progress(Study, 0));
            Assert.All(check.Jobs(Study), j => Assert.Equal(1, j.Attempts));
            Assert.Equal(jobs, s.LoadTrials(Study).Count);
        }
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public void ExpiredClaim_IsTakenOver_AndTheSilentWorkerCanNeitherBeatNorComplete(string backend)
    {
        using var db = new StudyDatabase(backend);
        IStudyQueue queue = Open(db, out IStudyStorage storage);
        using (storage)
        {
            queue.Publish(Study, 0, Jobs(1));
            JobClaim first = queue.Claim(Study, 0, "a", 0.3, Array.Empty<int>(), Array.Empty<int>())!;
            Assert.Equal((new JobKey(0, 10), 1, (string?)null), (first.Key, first.Attempts, first.RecoveredFrom));
            Assert.Null(queue.Claim(Study, 0, "b", 0.3, Array.Empty<int>(), Array.Empty<int>()));   // held, heartbeat fresh
            Assert.True(queue.Heartbeat(Study, first.Key, "a"));

            Thread.Sleep(600);   // a's heartbeat is now older than the grace period
            JobClaim second = queue.Claim(Study, 0, "b", 0.3, Array.Empty<int>(), Array.Empty<int>())!;
            Assert.Equal((first.Key, 2, "a"), (second.Key, second.Attempts, second.RecoveredFrom));
            Assert.False(queue.Heartbeat(Study, first.Key, "a"));
            Assert.False(queue.Complete(Study, first.Key, "a", Result(first.Key, "from a")));
            Assert.Empty(storage.LoadTrials(Study));   // a's late result was not written
            Assert.True(queue.Complete(Study, second.Key, "b", Result(second.Key, "from b")));
            Assert.True(queue.Complete(Study, second.Key, "b", Result(second.Key, "from b")));   // a retried completion is idempotent
            Assert.Equal("from b", Assert.Single(storage.LoadTrials(Study)).Message);
            JobRecord record = Assert.Single(queue.Jobs(Study));
            Assert.Equal(("done", "b", 2, "a"), (record.State, record.Worker, record.Attempts, record.RecoveredFrom));
        }
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public void ReleasedJob_GoesBackToTheQueue_AndPreferredTrialsComeFirst(string backend)
    {
        using var db = new StudyDatabase(backend);
        IStudyQueue queue = Open(db, out IStudyStorage storage);
        using (storage)
        {
            queue.Publish(Study, 0, Jobs(3));
            JobClaim preferred = queue.Claim(Study, 0, "a", 60, new[] { 2 }, Array.Empty<int>())!;
            Assert.Equal(2, preferred.Key.TrialId);
            JobClaim next = queue.Claim(Study, 0, "a", 60, Array.Empty<int>(), new[] { 2 })!;
            Assert.Equal(0, next.Key.TrialId);
            // A claim whose reply was lost is the worker's own: claiming again returns it (not counted twice).
            JobClaim again = queue.Claim(Study, 0, "a", 60, Array.Empty<int>(), new[] { 2 })!;
            Assert.Equal((0, 1), (again.Key.TrialId, again.Attempts));
            queue.Release(Study, next.Key, "a");
            Assert.Equal(new RoundProgress(2, 1, 0), queue.Progress(Study, 0));
            JobClaim other = queue.Claim(Study, 0, "b", 60, Array.Empty<int>(), Array.Empty<int>())!;
            Assert.Equal((0, 1, (string?)null), (other.Key.TrialId, other.Attempts, other.RecoveredFrom));
        }
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public void Publish_IsIdempotent_AndRefusesADifferentRound(string backend)
    {
        using var db = new StudyDatabase(backend);
        IStudyQueue queue = Open(db, out IStudyStorage storage);
        using (storage)
        {
            queue.Publish(Study, 0, Jobs(2));
            queue.Publish(Study, 0, Jobs(2));
            var e = Assert.Throws<InvalidOperationException>(() => queue.Publish(Study, 0, Jobs(2, definition: "other")));
            Assert.Contains("round 0 differs from the one other workers published", e.Message);
            Assert.Contains("same experiment with the same library version", e.Message);
            Assert.Throws<InvalidOperationException>(() => queue.Publish(Study, 0, Jobs(1)));   // a worker that misses a job
            Assert.Equal(new RoundProgress(2, 0, 0), queue.Progress(Study, 0));
        }
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public void AWorkerLeftBehindByASchemaUpgrade_RefusesToPublishItsNextRound(string backend)
    {
        using var db = new StudyDatabase(backend);
        IStudyQueue queue = Open(db, out IStudyStorage storage);
        using (storage)
        {
            queue.Publish(Study, 0, Jobs(2));
            // A newer worker migrates the database while this one is running.
            db.Execute($"UPDATE meta SET value = '{Schema.Version + 1}' WHERE key = 'schema_version'");
            var e = Assert.Throws<InvalidOperationException>(() => queue.Publish(Study, 1, Jobs(2, steps: 30)));
            Assert.Contains($"has schema version {Schema.Version + 1}, newer than this library's {Schema.Version}", e.Message);
            Assert.Contains("Upgrade LinAttn.AutoML on this worker", e.Message);
            Assert.All(queue.Jobs(Study), j => Assert.Equal(10, j.Key.Steps));   // round 1 was not published
        }
    }
}
