using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>
/// The conditional sub-space of one optimizer: its searched options (<see cref="Dimensions"/>, the learning rate first)
/// and the options it keeps fixed. Built by <c>AutoMLExperiment.AddOptimizer</c> from an
/// options class carrying <c>Microsoft.ML.SearchSpace</c> attributes.
/// </summary>
/// <param name="Name">The name the user gave (unique in the experiment), e.g. "adam".</param>
/// <param name="Kind">The optimizer.</param>
/// <param name="OptionsType">The options class the space was read from.</param>
/// <param name="Dimensions">The searched options; index 0 is always LearningRate (log scale).</param>
/// <param name="Fixed">Option values that are not searched, by name.</param>
public sealed record OptimizerSpace(string Name, OptimizerKind Kind, string OptionsType, IReadOnlyList<Dimension> Dimensions,
    IReadOnlyDictionary<string, double> Fixed)
{
    /// <summary>The learning-rate dimension.</summary>
    public Dimension LearningRate => Dimensions[0];
}
