namespace LinAttn.AutoML;

/// <summary>Which part of the search a trial belongs to.</summary>
public enum TrialPhase
{
    /// <summary>A trial of a plain tuner (grid, random, or a user tuner); scheduled by the experiment's scheduler.</summary>
    Search = 0,

    /// <summary>Learning-rate probe: a short run at a log-spaced learning rate, with the divergence guard.</summary>
    Probe = 1,

    /// <summary>Quasi-random exploration (Halton), under the scheduler (ASHA by default).</summary>
    Exploration = 2,

    /// <summary>Model-based exploitation (Gaussian process on log lr, or TPE), under the scheduler.</summary>
    Exploitation = 3,

    /// <summary>Confirmation: the best configuration of an optimizer rerun with another seed at the full budget.</summary>
    Confirmation = 4,
}
