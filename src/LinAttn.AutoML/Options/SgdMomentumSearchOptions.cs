using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>Search options of SGD with heavy-ball momentum (the paper's SGDM): the learning rate is searched, momentum is fixed at 0.9.</summary>
public sealed class SgdMomentumSearchOptions
{
    /// <summary>Learning rate η, searched log-uniformly in [1e-4, 1.0] (the family's prior; the probe narrows it).</summary>
    [Range(1e-4, 1.0, 0.02, true)]
    public double LearningRate { get; set; } = 0.02;

    /// <summary>Momentum μ (fixed: add a [Range] attribute in your own options class to search it).</summary>
    public double Momentum { get; set; } = 0.9;
}
