using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>Search options of Adagrad: the learning rate is searched (a higher prior: Adagrad's steps shrink over time).</summary>
public sealed class AdagradSearchOptions
{
    /// <summary>Learning rate η, searched log-uniformly in [1e-3, 10.0] (the family's prior; the probe narrows it).</summary>
    [Range(1e-3, 10.0, 0.1, true)]
    public double LearningRate { get; set; } = 0.1;
}
