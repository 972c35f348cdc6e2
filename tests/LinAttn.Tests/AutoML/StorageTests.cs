using LinAttn.AutoML;
using LinAttn.Training;
using Microsoft.Data.Sqlite;

namespace LinAttn.Tests.AutoML;

public sealed class StorageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "linattn-automl-db-" + Guid.NewGuid().ToString("N"));

    private static StudyInfo Info(string name = "s") => new(name, "{}", "abc", 42, "{\"x\":1}", "v", "now");

    [Fact]
    public void Sqlite_RoundTripsTrials_AtFullPrecision_IncludingNaN()
    {
        string db = Path.Combine(_folder, "a.db");
        var trial = new TrialResult
        {
            TrialId = 3, Parameter = new Parameter("adam", OptimizerKind.Adam, new Dictionary<string, double> { ["LearningRate"] = 0.1 + 0.2, ["Beta2"] = 1 - 1e-15 }),
            Phase = TrialPhase.Exploration, SeedIndex = 0, MaxSteps = 90, Status = TrialStatus.Diverged, Steps = 17, Loss = double.NaN,
            Metric = double.PositiveInfinity, InitialLoss = Math.PI, DivergedAtStep = 16, Rungs = new[] { new RungResult(10, 1.0 / 3) },
            Message = "m", Exception = "e\nline", WallSeconds = 0.5, FinalParameters = new[] { Math.E, -0.0, double.Epsilon },
        };
        using (var storage = new SqliteStudyStorage(db))
        {
            storage.OpenStudy(Info());
            storage.SaveTrial("s", trial);
            storage.SaveTrial("s", trial);   // replace, not duplicate
        }
        using (var storage = new SqliteStudyStorage(db))
        {
            Assert.Equal(Info(), storage.OpenStudy(Info()));
            TrialResult back = Assert.Single(storage.LoadTrials("s"));
            Assert.Equal(trial.ToRow(), back.ToRow());
            Assert.Equal(0.1 + 0.2, back.Parameter.LearningRate);
            Assert.Equal(1 - 1e-15, back.Parameter["Beta2"]);
            Assert.True(double.IsNaN(back.Loss));
            Assert.Equal(double.PositiveInfinity, back.Metric);
            Assert.Equal(trial.FinalParameters, back.FinalParameters);
            Assert.Equal("e\nline", back.Exception);
            Assert.Empty(storage.LoadTrials("other"));
        }
    }

    [Fact]
    public void NewerSchema_AndIncompatibleStudy_AreRefusedWithClearMessages()
    {
        string db = Path.Combine(_folder, "b.db");
        using (var storage = new SqliteStudyStorage(db)) storage.OpenStudy(Info());
        using (var storage = new SqliteStudyStorage(db))
        {
            var e = Assert.Throws<InvalidOperationException>(() => storage.OpenStudy(Info() with { SearchSpaceHash = "def" }));
            Assert.Contains("different search space (hash abc", e.Message);
            var settings = Assert.Throws<InvalidOperationException>(() => storage.OpenStudy(Info() with { SettingsJson = "{\"x\":2}" }));
            Assert.Contains("other experiment settings", settings.Message);
            storage.OpenStudy(Info("another"));   // a second study in the same file is fine
        }
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var c = connection.CreateCommand();
            c.CommandText = "UPDATE meta SET value = '99' WHERE key = 'schema_version';";
            c.ExecuteNonQuery();
        }
        var newer = Assert.Throws<InvalidOperationException>(() => new SqliteStudyStorage(db));
        Assert.Contains("schema version 99", newer.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }
}
