namespace LinAttn.AutoML;

/// <summary>
/// Trains one trial up to <see cref="TrialSettings.Steps"/> (one rung) and reports the result: ML.NET AutoML's trial
/// runner. A runner that keeps a paused trial in memory continues it on promotion; otherwise it retrains from step 0
/// (same result, more compute). Called from several threads at once for different trials.
/// </summary>
public interface ITrialRunner : IDisposable
{
    /// <summary>Runs the job; exceptions are recorded as a Failed trial by the experiment.</summary>
    Task<TrialResult> RunAsync(TrialSettings settings, CancellationToken cancellationToken);

    /// <summary>Forgets a paused trial that will not be promoted (frees its state).</summary>
    void Release(int trialId);
}
