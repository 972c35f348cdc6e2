using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>Search options of Adam: the learning rate is searched; β₁ = β₂ = 0.9 as in the paper's presets.</summary>
public sealed class AdamSearchOptions
{
    /// <summary>Learning rate η, searched log-uniformly in [1e-4, 1.0] (the family's prior; the probe narrows it).</summary>
    [Range(1e-4, 1.0, 0.02, true)]
    public double LearningRate { get; set; } = 0.02;

    /// <summary>β₁ (fixed).</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>β₂ (fixed at the paper's 0.9).</summary>
    public double Beta2 { get; set; } = 0.9;
}
