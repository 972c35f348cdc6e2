using LinAttn.AutoML;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.AutoML;

public sealed class ResumeTests : TorchTest, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "linattn-automl-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task CancelThenResume_GivesTheTableOfAnUninterruptedRun()
    {
        ExperimentResult reference = await SmallStudy.Experiment().SetMaxConcurrentTrials(2).RunAsync();

        string db = Path.Combine(_folder, "study.db");
        using var cts = new CancellationTokenSource();
        var monitor = new CancelAfterTrials(cts, 14);
        ExperimentResult partial = await SmallStudy.Experiment().SetMaxConcurrentTrials(2).SetCheckpoint(db, "resume").SetMonitor(monitor).RunAsync(cts.Token);
        Assert.False(partial.IsComplete);
        Assert.Contains("Cancelled", partial.StopReason);
        Assert.True(partial.Trials.Count < reference.Trials.Count);
        Assert.Contains(partial.Trials, t => t.Status is TrialStatus.Cancelled or TrialStatus.Paused);

        var counting = new CountingMonitor();
        ExperimentResult resumed = await SmallStudy.Experiment().SetMaxConcurrentTrials(1).SetCheckpoint(db, "resume").SetMonitor(counting).RunAsync();
        Assert.True(resumed.IsComplete);
        Assert.Equal(SmallStudy.Table(reference), SmallStudy.Table(resumed));
        Assert.Equal(reference.BestModelParameters, resumed.BestModelParameters);

        // A third run on the finished study trains nothing: every job is served from the database.
        var idle = new CountingMonitor();
        ExperimentResult again = await SmallStudy.Experiment().SetCheckpoint(db, "resume").SetMonitor(idle).RunAsync();
        Assert.Equal(SmallStudy.Table(reference), SmallStudy.Table(again));
        Assert.True(again.Trials.Sum(t => t.WallSeconds) >= 0);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }

    private sealed class CancelAfterTrials(CancellationTokenSource cts, int count) : CountingMonitor
    {
        public override void ReportCompletedTrial(TrialResult result)
        {
            base.ReportCompletedTrial(result);
            if (Completed >= count) cts.Cancel();
        }
    }
}

internal class CountingMonitor : IMonitor
{
    public int Running, Rungs, Completed, Best, Failed;

    public virtual void ReportRunningTrial(TrialSettings settings) => Running++;

    public virtual void ReportRung(TrialResult result) => Rungs++;

    public virtual void ReportCompletedTrial(TrialResult result) => Completed++;

    public virtual void ReportBestTrial(TrialResult result) => Best++;

    public virtual void ReportFailTrial(TrialSettings settings, Exception? exception = null) => Failed++;
}
