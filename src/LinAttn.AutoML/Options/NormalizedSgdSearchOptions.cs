using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>Search options of normalized SGD: the learning rate is searched (η is the length of every update).</summary>
public sealed class NormalizedSgdSearchOptions
{
    /// <summary>Learning rate η, searched log-uniformly in [1e-4, 1.0] (the family's prior; the probe narrows it).</summary>
    [Range(1e-4, 1.0, 0.01, true)]
    public double LearningRate { get; set; } = 0.01;

    /// <summary>Momentum μ (fixed).</summary>
    public double Momentum { get; set; } = 0.9;
}
