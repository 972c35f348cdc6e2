using LinAttn.AutoML;
using LinAttn.Tests.TestKit;
using Microsoft.ML.SearchSpace;

namespace LinAttn.Tests.AutoML;

public sealed class BadInputTests : TorchTest, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "linattn-automl-bad-" + Guid.NewGuid().ToString("N"));

    public sealed class InvertedRange
    {
        [Range(0.5, 0.01, 0.1, true)]
        public double LearningRate { get; set; }
    }

    public sealed class ZeroMinimum
    {
        [Range(0.0, 1.0, 0.1, false)]
        public double LearningRate { get; set; }
    }

    public sealed class NoLearningRate
    {
        public double Momentum { get; set; } = 0.9;
    }

    public sealed class UnknownOption
    {
        [Range(1e-3, 1.0, 0.01, true)]
        public double LearningRate { get; set; }

        public double Nesterov { get; set; }
    }

    [Fact]
    public async Task EmptySearchSpace_IsRejected()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new AutoMLExperiment(SmallStudy.Task()).RunAsync());
        Assert.Contains("search space is empty", e.Message);
    }

    [Fact]
    public void LearningRateRanges_MustBePositiveAndIncreasing()
    {
        var inverted = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoMLExperiment(SmallStudy.Task()).AddOptimizer<InvertedRange>("adam"));
        Assert.Contains("0 < min < max", inverted.Message);
        Assert.Contains("[0.5, 0.01]", inverted.Message);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoMLExperiment(SmallStudy.Task()).AddOptimizer<ZeroMinimum>("adam"));
        Assert.Contains("[0, 1]", zero.Message);
        var equal = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoMLExperiment(SmallStudy.Task()).AddOptimizer("sgdm", 0.1, 0.1));
        Assert.Contains("LearningRate range of 'sgdm'", equal.Message);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoMLExperiment(SmallStudy.Task()).AddOptimizer("sgdm", -1, 0.1));
        Assert.Equal("LearningRate", negative.ParamName);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoMLExperiment(SmallStudy.Task()).AddOptimizer<NoLearningRate>("sgdm"));
        Assert.Contains("must search LearningRate", missing.Message);
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoMLExperiment(SmallStudy.Task()).AddOptimizer<UnknownOption>("sgdm"));
        Assert.Contains("'Nesterov' is not a known option", unknown.Message);
    }

    [Fact]
    public void UnknownOptimizerName_IsRejected_ListingTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoMLExperiment(SmallStudy.Task()).AddOptimizer("lion"));
        Assert.Contains("'lion' is not known", e.Message);
        Assert.Contains("adam", e.Message);
        var twice = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoMLExperiment(SmallStudy.Task()).AddOptimizer("adam").AddOptimizer("adam"));
        Assert.Contains("already added", twice.Message);
    }

    [Fact]
    public async Task BudgetSmallerThanTheSmallestRung_IsRejected()
    {
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SmallStudy.Experiment(budget: 5).RunAsync());
        Assert.Contains("smaller than the smallest rung (10 steps)", e.Message);
        var rung = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SmallStudy.Experiment(stepsPerTrial: 6).RunAsync());
        Assert.Contains("smallest rung", rung.Message);
    }

    [Fact]
    public async Task CorruptedDatabase_IsReportedAsSuch()
    {
        Directory.CreateDirectory(_folder);
        string db = Path.Combine(_folder, "garbage.db");
        File.WriteAllBytes(db, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251)).ToArray());
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SmallStudy.Experiment().SetCheckpoint(db).RunAsync());
        Assert.Contains("not a SQLite database or it is corrupted", e.Message);
        Assert.Contains("garbage.db", e.Message);
    }

    [Fact]
    public async Task IncompatibleStudy_DifferentSearchSpace_IsRefused()
    {
        string db = Path.Combine(_folder, "study.db");
        ExperimentResult first = await new AutoMLExperiment(SmallStudy.Task(), 1).AddOptimizer("sgdm").SetStepBudget(30, 30)
            .SetGridSearchTuner(1).SetScheduler(new FullBudgetScheduler()).SetCheckpoint(db, "s").RunAsync();
        Assert.Single(first.Trials);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new AutoMLExperiment(SmallStudy.Task(), 1).AddOptimizer("sgdm", 1e-3, 0.5)
            .SetStepBudget(30, 30).SetGridSearchTuner(1).SetScheduler(new FullBudgetScheduler()).SetCheckpoint(db, "s").RunAsync());
        Assert.Contains("different search space (hash", e.Message);
        var seed = await Assert.ThrowsAsync<InvalidOperationException>(() => new AutoMLExperiment(SmallStudy.Task(), 2).AddOptimizer("sgdm")
            .SetStepBudget(30, 30).SetGridSearchTuner(1).SetScheduler(new FullBudgetScheduler()).SetCheckpoint(db, "s").RunAsync());
        Assert.Contains("seed 1", seed.Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }
}
