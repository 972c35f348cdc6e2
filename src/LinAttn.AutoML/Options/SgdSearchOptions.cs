using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>Search options of plain SGD: only the learning rate is searched.</summary>
public sealed class SgdSearchOptions
{
    /// <summary>Learning rate η, searched log-uniformly in [1e-4, 1.0] (the family's prior; the probe narrows it).</summary>
    [Range(1e-4, 1.0, 0.01, true)]
    public double LearningRate { get; set; } = 0.01;
}
