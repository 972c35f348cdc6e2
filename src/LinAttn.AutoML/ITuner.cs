namespace LinAttn.AutoML;

/// <summary>
/// Proposes configurations and learns from results: ML.NET AutoML's two-method tuner. The experiment asks for proposals
/// until the tuner returns null ("wait for the running trials"), runs them (several at once), then calls
/// <see cref="Update"/> for each result in trial-id order. Proposals must depend only on the results received and on
/// randomness drawn from (experiment seed, trial id, purpose): then the trial table is the same with 1 or N concurrent
/// trials and after a resume.
/// </summary>
public interface ITuner
{
    /// <summary>The next configuration, or null when the tuner must see pending results first (or is done).</summary>
    /// <param name="settings">The trial being created: id, horizon and remaining budget are set; the tuner may set
    /// <see cref="TrialSettings.Phase"/>, <see cref="TrialSettings.SeedIndex"/> and <see cref="TrialSettings.Steps"/>.</param>
    Parameter? Propose(TrialSettings settings);

    /// <summary>Receives a trial's result: after every rung (status Paused) and when it ends.</summary>
    void Update(TrialResult result);
}
