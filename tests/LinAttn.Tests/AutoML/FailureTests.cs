using LinAttn.AutoML;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.AutoML;

public sealed class FailureTests : TorchTest
{
    [Fact]
    public async Task FailingTrials_AreRecorded_AndTheExperimentGoesOn()
    {
        // Runs with a learning rate above 0.05 throw; the others train normally.
        Func<RunSpec, TrainingRun> start = spec => spec.Training.Optimizer.LearningRate > 0.05
            ? throw new InvalidOperationException("synthetic failure")
            : Runner.Start(spec);
        ExperimentResult result = await new AutoMLExperiment(SmallStudy.Task(), 2).AddOptimizer("sgdm", 1e-3, 0.5)
            .SetStepBudget(20, 10 * 20).SetGridSearchTuner(6).SetScheduler(new FullBudgetScheduler()).SetTrialRunner(start).RunAsync();
        Assert.Equal(6, result.Trials.Count);
        var failed = result.Trials.Where(t => t.Status == TrialStatus.Failed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.Contains("synthetic failure", t.Exception));
        Assert.Contains(result.Trials, t => t.Status == TrialStatus.Completed);
        Assert.Contains("synthetic failure", result.ToCsv());
    }

    [Fact]
    public async Task TooManyConsecutiveFailures_AbortWithAClearMessage()
    {
        var monitor = new CountingMonitor();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new AutoMLExperiment(SmallStudy.Task(), 2).AddOptimizer("adam")
            .SetStepBudget(20, 100 * 20).SetRandomSearchTuner().SetScheduler(new FullBudgetScheduler()).SetMaxConsecutiveFailures(3)
            .SetMonitor(monitor).SetTrialRunner(_ => throw new IOException("disk full")).RunAsync());
        Assert.Contains("3 consecutive failed trials (MaxConsecutiveFailures = 3)", e.Message);
        Assert.Contains("disk full", e.Message);
        Assert.True(monitor.Failed >= 3);
    }
}
