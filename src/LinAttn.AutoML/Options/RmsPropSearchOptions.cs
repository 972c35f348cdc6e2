using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>Search options of RMSprop: the learning rate is searched (a lower prior than SGD: the update is scale-free).</summary>
public sealed class RmsPropSearchOptions
{
    /// <summary>Learning rate η, searched log-uniformly in [1e-5, 0.1] (the family's prior; the probe narrows it).</summary>
    [Range(1e-5, 0.1, 0.001, true)]
    public double LearningRate { get; set; } = 0.001;
}
