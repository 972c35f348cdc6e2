using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>Search options of AdamW: the learning rate is searched; β₁ = β₂ = 0.9, weight decay 0.01.</summary>
public sealed class AdamWSearchOptions
{
    /// <summary>Learning rate η, searched log-uniformly in [1e-4, 1.0] (the family's prior; the probe narrows it).</summary>
    [Range(1e-4, 1.0, 0.02, true)]
    public double LearningRate { get; set; } = 0.02;

    /// <summary>β₁ (fixed).</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>β₂ (fixed).</summary>
    public double Beta2 { get; set; } = 0.9;

    /// <summary>Decoupled weight decay λ (fixed).</summary>
    public double WeightDecay { get; set; } = 0.01;
}
