using LinAttn.Cli;
using LinAttn.Tests.TestKit;
using Npgsql;
using Spectre.Console.Testing;

namespace LinAttn.Tests.Cli;

public sealed class TuneWorkerCommandTests : TorchTest, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "linattn-worker-" + Guid.NewGuid().ToString("N"));

    private static TestConsole Console() => new TestConsole().Width(400);

    [Fact]
    public async Task AWorkerJoiningAStudy_TakesItsStoredRecipe_AndRefusesConflictingFlags()
    {
        string[] create = { "tune", "--preset", "setting1", "--steps", "90", "--batch-size", "64", "--confirm-seeds", "1", "--seed", "4", "--parallel", "2", "--out", _folder };
        var first = Console();
        Assert.True(await Program.Run(create, first) == 0, first.Output);
        string ranking = first.Output.Split('\n').Single(l => l.StartsWith("ranking:", StringComparison.Ordinal));

        // No experiment flags: the worker rebuilds the experiment from the study and finds it complete.
        string db = Path.Combine(_folder, "study.db");
        var join = Console();
        Assert.True(await Program.Run(new[] { "tune", "worker", "--storage", db, "--study", "tune" }, join) == 0, join.Output);
        Assert.Contains(ranking, join.Output);
        Assert.Contains("90 steps per trial, seed 4", join.Output);
        Assert.DoesNotContain("ran trial", join.Output);   // nothing left to run

        var conflict = Console();
        Assert.Equal(2, await Program.Run(new[] { "tune", "worker", "--storage", db, "--study", "tune", "--steps", "270", "--seed", "4" }, conflict));
        Assert.Contains("study 'tune' already exists with another experiment: --steps 270 (the study has 90)", conflict.Output);
    }

    [Fact]
    public async Task AWorkerWithoutStorage_FailsNamingTheFlagAndTheVariable()
    {
        var console = Console();
        Assert.Equal(2, await Program.Run(new[] { "tune", "worker", "--study", "x" }, console));
        Assert.Contains("--storage: a worker needs the study's storage: pass --storage, or set LINATTN_STORAGE", console.Output);
    }

    [Theory]
    [InlineData("--grace", "1", "--grace: GraceSeconds must be at least twice HeartbeatSeconds (10), but was 1.")]
    [InlineData("--storage", "Host=127.0.0.1;Port=1;Nonsense Key=1", "--storage: connectionString is not a valid Npgsql connection string")]
    public async Task BadWorkerFlags_FailWithAMessageNamingTheFlag(string flag, string value, string expected)
    {
        var console = Console();
        string[] args = flag == "--storage" ? new[] { "tune", "worker", flag, value } : new[] { "tune", "worker", "--storage", Path.Combine(_folder, "s.db"), flag, value };
        Assert.Equal(2, await Program.Run(args, console));
        Assert.Contains(expected, console.Output);
    }

    [Fact]
    public async Task AnUnreachableServer_IsRetriedForRetryFor_ThenReported()
    {
        var console = Console();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(1, await Program.Run(new[] { "tune", "worker", "--storage", "Host=127.0.0.1;Port=1;Username=u;Password=hidden-4242", "--retry-for", "1.5" }, console));
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.5, 30);
        Assert.Contains("storage unavailable while migrating the schema", console.Output);
        Assert.Contains("The study store PostgreSQL u@127.0.0.1:1/u stayed unavailable", console.Output);
        Assert.DoesNotContain("hidden-4242", console.Output);
    }

    [PostgresFact]
    public async Task AWrongPassword_IsReportedWithoutTheConnectionString()
    {
        const string secret = "not-the-password-7f3a";
        string storage = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Password = secret }.ConnectionString;
        var console = Console();
        Assert.Equal(1, await Program.Run(new[] { "tune", "worker", "--storage", storage, "--study", "x", "--retry-for", "5" }, console));
        Assert.Contains("cannot be opened", console.Output);
        Assert.Contains("password authentication failed", console.Output);
        Assert.Contains("PostgreSQL linattn@127.0.0.1:", console.Output);   // the store is named by user@host:port/db
        Assert.DoesNotContain(secret, console.Output);
        Assert.DoesNotContain("Password=", console.Output, StringComparison.OrdinalIgnoreCase);
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public async Task AnOlderWorker_RefusesANewerSchema_WithAMessageSayingWhatToDo(string backend)
    {
        using var db = new StudyDatabase(backend);
        using (db.Open())
        {
        }
        db.Execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        var console = Console();
        Assert.Equal(1, await Program.Run(new[] { "tune", "worker", "--storage", db.Storage, "--study", "x", "--retry-for", "5" }, console));
        Assert.Contains("has schema version 99, newer than this library's", console.Output);
        Assert.Contains("Upgrade LinAttn.AutoML on this worker", console.Output);
        if (backend == StudyDatabase.Postgres)
        {
            string password = new NpgsqlConnectionStringBuilder(db.Storage).Password!;
            Assert.DoesNotContain(password, console.Output);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }
}
