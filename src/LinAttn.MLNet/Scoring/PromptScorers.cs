using LinAttn.Model;

namespace LinAttn.MLNet.Scoring;

/// <summary>Chooses the managed scorer for an architecture.</summary>
internal static class PromptScorers
{
    /// <summary>The fast engine, one prompt per call: the S-form for linear attention, the token-level kernel for
    /// softmax and ReLU (every architecture an ML.NET model can hold).</summary>
    /// <param name="options">The architecture.</param>
    /// <param name="parameters">θ.</param>
    /// <param name="contextLength">N, the (maximum) number of context pairs of a prompt.</param>
    public static IPromptScorer Create(ModelOptions options, ReadOnlySpan<double> parameters, int contextLength)
        => new EnginePromptScorer(options, parameters, contextLength);
}
