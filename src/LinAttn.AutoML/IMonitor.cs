namespace LinAttn.AutoML;

/// <summary>Observes an experiment (ML.NET AutoML's monitor, plus rung reports). Called from the experiment's thread.</summary>
public interface IMonitor
{
    /// <summary>A trial (or a promotion of it to its next rung) starts.</summary>
    void ReportRunningTrial(TrialSettings settings);

    /// <summary>A trial reached a rung and waits for the scheduler (status Paused).</summary>
    void ReportRung(TrialResult result);

    /// <summary>A trial ended (Completed, Pruned, Diverged or Cancelled).</summary>
    void ReportCompletedTrial(TrialResult result);

    /// <summary>A completed trial became the best so far.</summary>
    void ReportBestTrial(TrialResult result);

    /// <summary>A trial failed (its runner threw).</summary>
    void ReportFailTrial(TrialSettings settings, Exception? exception = null);
}
