namespace LinAttn.Training;

/// <summary>How a training run ended.</summary>
public enum TrainingStatus
{
    /// <summary>All requested steps ran.</summary>
    Completed = 0,

    /// <summary>A loss, gradient or weight became non-finite (or the loss exceeded the divergence ratio); the run
    /// stopped before applying the bad update.</summary>
    Diverged = 1,

    /// <summary>The cancellation token fired; the history holds what was done.</summary>
    Cancelled = 2,
}
