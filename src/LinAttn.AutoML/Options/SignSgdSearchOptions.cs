using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>Search options of sign-SGD: the learning rate is searched (each update moves every weight by η).</summary>
public sealed class SignSgdSearchOptions
{
    /// <summary>Learning rate η, searched log-uniformly in [1e-5, 0.1] (the family's prior; the probe narrows it).</summary>
    [Range(1e-5, 0.1, 0.001, true)]
    public double LearningRate { get; set; } = 0.001;

    /// <summary>Momentum μ of the sign of the averaged gradient (fixed; 0 gives plain sign-SGD).</summary>
    public double Momentum { get; set; } = 0.9;
}
