namespace LinAttn.AutoML;

/// <summary>
/// What a trial (or one rung of it) should do, as in ML.NET AutoML: the experiment fills the identity and budget, the
/// tuner's <see cref="ITuner.Propose"/> returns the <see cref="Parameter"/> and may set <see cref="Phase"/>,
/// <see cref="SeedIndex"/> and <see cref="Steps"/>.
/// </summary>
public sealed class TrialSettings
{
    /// <summary>The trial's id: 0, 1, 2, ... in the order proposals are accepted (deterministic).</summary>
    public int TrialId { get; set; }

    /// <summary>The configuration.</summary>
    public Parameter? Parameter { get; set; }

    /// <summary>The part of the search the trial belongs to.</summary>
    public TrialPhase Phase { get; set; }

    /// <summary>0: the search seed (the experiment seed, shared by every search trial); k &gt; 0: confirmation seed k,
    /// shared by every optimizer's candidate.</summary>
    public int SeedIndex { get; set; }

    /// <summary>The trial's horizon (the schedule's total steps and the top rung).</summary>
    public int MaxSteps { get; set; }

    /// <summary>The step this job trains to (a rung). 0 when proposed: the scheduler then picks the first rung.</summary>
    public int Steps { get; set; }

    /// <summary>Steps the trial had already done when this job started (0 for a new trial; the rung for a promotion).</summary>
    public int StartSteps { get; set; }

    /// <summary>Search steps still unspent in the experiment's budget when the tuner is asked (read-only for tuners).</summary>
    public long RemainingSearchSteps { get; set; }

    /// <summary>A copy.</summary>
    public TrialSettings Clone() => (TrialSettings)MemberwiseClone();
}
