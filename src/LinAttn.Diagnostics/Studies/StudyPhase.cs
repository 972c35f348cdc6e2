namespace LinAttn.Diagnostics.Studies;

/// <summary>What a study is doing, for progress reports.</summary>
public enum StudyPhase
{
    /// <summary>Training (Done = steps).</summary>
    Training = 0,

    /// <summary>Hessians for the robust condition number (Done = Hessians).</summary>
    Hessian = 1,

    /// <summary>Directional smoothness (Done = Hessian-vector products).</summary>
    Smoothness = 2,

    /// <summary>Gradient noise (Done = minibatch gradients).</summary>
    Noise = 3,
}
