namespace LinAttn.AutoML;

/// <summary>
/// Options shared by every optimizer of an experiment. Here all are fixed (the paper's values); to search one, write
/// your own class with the same property names and a <c>[Range]</c>, <c>[Choice]</c> or <c>[BooleanChoice]</c> attribute,
/// and pass it to <c>AutoMLExperiment.SetSharedOptions</c>. Known names: BatchSize, UseClipping,
/// ClipThreshold, WarmupFraction, Beta1, Beta2 (betas apply to Adam and AdamW only).
/// </summary>
public sealed class SharedSearchOptions
{
    /// <summary>Prompts per step (the paper: 1000).</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Whether global-norm clipping is on (the paper: on).</summary>
    public bool UseClipping { get; set; } = true;

    /// <summary>Clipping threshold c (the paper: 1).</summary>
    public double ClipThreshold { get; set; } = 1.0;

    /// <summary>Linear warm-up as a fraction of the trial's steps (0: none, as in the paper).</summary>
    public double WarmupFraction { get; set; }
}
