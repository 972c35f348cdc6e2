namespace LinAttn.AutoML;

/// <summary>The state of a trial.</summary>
public enum TrialStatus
{
    /// <summary>Stopped at a rung, waiting for the scheduler's decision (only while the experiment runs).</summary>
    Paused = 0,

    /// <summary>Trained to its full budget.</summary>
    Completed = 1,

    /// <summary>Stopped early by the scheduler (not promoted past its last rung).</summary>
    Pruned = 2,

    /// <summary>The loss became non-finite or exceeded the divergence ratio; <see cref="TrialResult.DivergedAtStep"/> says when.</summary>
    Diverged = 3,

    /// <summary>The trial runner threw; <see cref="TrialResult.Exception"/> holds the error.</summary>
    Failed = 4,

    /// <summary>The experiment was cancelled or hit its time limit while the trial ran (rerun on resume).</summary>
    Cancelled = 5,
}
