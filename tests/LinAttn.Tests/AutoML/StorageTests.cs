using LinAttn.AutoML;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.AutoML;

/// <summary>The study store's contract, run against SQLite and PostgreSQL alike.</summary>
public sealed class StorageTests
{
    private static StudyInfo Info(string name = "s") => new(name, "{}", "abc", 42, "{\"x\":1}", "v", "now");

    private static TrialResult Trial(int id = 3) => new()
    {
        TrialId = id, Parameter = new Parameter("adam", OptimizerKind.Adam, new Dictionary<string, double> { ["LearningRate"] = 0.1 + 0.2, ["Beta2"] = 1 - 1e-15 }),
        Phase = TrialPhase.Exploration, SeedIndex = 0, MaxSteps = 90, Status = TrialStatus.Diverged, Steps = 17, Loss = double.NaN,
        Metric = double.PositiveInfinity, InitialLoss = Math.PI, DivergedAtStep = 16, Rungs = new[] { new RungResult(10, 1.0 / 3), new RungResult(12, double.NaN) },
        Message = "m", Exception = "e\nline", WallSeconds = 0.5, FinalParameters = new[] { Math.E, -0.0, double.Epsilon, double.MaxValue },
    };

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public void RoundTripsTrials_AtFullPrecision_IncludingNaN(string backend)
    {
        using var db = new StudyDatabase(backend);
        TrialResult trial = Trial();
        using (IStudyStorage storage = db.Open())
        {
            storage.OpenStudy(Info() with { Attributes = "{\"recipe\":1}" });
            storage.SaveTrial("s", trial);
            storage.SaveTrial("s", trial);   // replace, not duplicate
        }
        using (IStudyStorage storage = db.Open())
        {
            Assert.Equal(Info() with { Attributes = "{\"recipe\":1}" }, storage.OpenStudy(Info()));
            Assert.Equal("{\"recipe\":1}", storage.FindStudy("s")!.Attributes);
            Assert.Null(storage.FindStudy("none"));
            TrialResult back = Assert.Single(storage.LoadTrials("s"));
            Assert.Equal(trial.ToRow(), back.ToRow());
            Assert.Equal(0.1 + 0.2, back.Parameter.LearningRate);
            Assert.Equal(1 - 1e-15, back.Parameter["Beta2"]);
            Assert.True(double.IsNaN(back.Loss));
            Assert.True(double.IsNaN(back.Rungs[1].Loss));
            Assert.Equal(double.PositiveInfinity, back.Metric);
            Assert.Equal(trial.FinalParameters, back.FinalParameters);
            Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(back.FinalParameters![1]));
            Assert.Equal("e\nline", back.Exception);
            Assert.Empty(storage.LoadTrials("other"));
        }
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public void NewerSchema_AndIncompatibleStudy_AreRefusedWithClearMessages(string backend)
    {
        using var db = new StudyDatabase(backend);
        using (IStudyStorage storage = db.Open()) storage.OpenStudy(Info());
        using (IStudyStorage storage = db.Open())
        {
            var e = Assert.Throws<InvalidOperationException>(() => storage.OpenStudy(Info() with { SearchSpaceHash = "def" }));
            Assert.Contains("different search space (hash abc", e.Message);
            var seed = Assert.Throws<InvalidOperationException>(() => storage.OpenStudy(Info() with { Seed = 43 }));
            Assert.Contains("seed 42, but this experiment's seed is 43", seed.Message);
            var settings = Assert.Throws<InvalidOperationException>(() => storage.OpenStudy(Info() with { SettingsJson = "{\"x\":2}" }));
            Assert.Contains("other experiment settings", settings.Message);
            storage.OpenStudy(Info("another"));   // a second study in the same database is fine
        }
        db.Execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        var newer = Assert.Throws<InvalidOperationException>(() => db.Open().Dispose());
        Assert.Contains($"has schema version 99, newer than this library's {SqliteStudyStorage.SchemaVersion}", newer.Message);
        Assert.Contains("Upgrade LinAttn.AutoML on this worker", newer.Message);
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public void Version1Store_IsMigrated_KeepingItsStudiesAndTrials(string backend)
    {
        using var db = new StudyDatabase(backend);
        // The version-1 schema exactly as version 1 of this library wrote it, with one study and one trial.
        db.Execute(Schema.Meta);
        foreach (string statement in Schema.Statements(0, backend == StudyDatabase.Sqlite ? SqliteDialect.Instance : PostgresDialect.Instance)) db.Execute(statement);
        db.Execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')");
        db.Execute("INSERT INTO studies VALUES ('old', '{}', 'abc', '42', '{\"x\":1}', 'v', 'then')");
        db.Execute("INSERT INTO trials(study, trial_id, parameter, phase, seed_index, max_steps, status, steps, loss, message, wall_seconds) " +
                   $"VALUES ('old', 0, '{Trial().Parameter.ToJson()}', 'Probe', 0, 3, 'Completed', 3, 0.25, 'done', 1.5)");

        using (IStudyStorage storage = db.Open())
        {
            Assert.Equal("then", storage.OpenStudy(Info("old")).CreatedUtc);
            Assert.Null(storage.FindStudy("old")!.Attributes);
            TrialResult t = Assert.Single(storage.LoadTrials("old"));
            Assert.Equal((TrialStatus.Completed, 3, 0.25), (t.Status, t.Steps, t.Loss));
        }
        Assert.Equal(new[] { SqliteStudyStorage.SchemaVersion.ToString() }, db.Column("SELECT value FROM meta WHERE key = 'schema_version'"));
        Assert.Equal(new[] { "0" }, db.Column("SELECT COUNT(*) FROM jobs"));
        using (IStudyStorage again = db.Open()) Assert.Single(again.LoadTrials("old"));   // a second open migrates nothing
    }

    [StorageTheory]
    [MemberData(nameof(StudyDatabase.Backends), MemberType = typeof(StudyDatabase))]
    public void NamesAndTexts_AreParameters_NotSql(string backend)
    {
        using var db = new StudyDatabase(backend);
        const string name = "x'); DROP TABLE trials; --";
        using IStudyStorage storage = db.Open();
        storage.OpenStudy(Info(name));
        var trial = new TrialResult
        {
            TrialId = 1, Parameter = Trial().Parameter, Status = TrialStatus.Failed, Message = "it's \"quoted\"; DELETE FROM studies; --",
            Exception = "nul\0byte",
        };
        storage.SaveTrial(name, trial);
        TrialResult back = Assert.Single(storage.LoadTrials(name));
        Assert.Equal(trial.Message, back.Message);
        Assert.Equal(name, storage.FindStudy(name)!.Name);
    }
}
