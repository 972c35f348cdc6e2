using LinAttn.Model;

namespace LinAttn.MLNet.Scoring;

/// <summary>Chooses the managed scorer for an architecture.</summary>
internal static class PromptScorers
{
    /// <summary>The fast engine's S-form for linear attention (identity scores), the token-level form for softmax and ReLU.</summary>
    /// <param name="options">The architecture.</param>
    /// <param name="parameters">θ.</param>
    /// <param name="contextLength">N, the (maximum) number of context pairs of a prompt.</param>
    public static IPromptScorer Create(ModelOptions options, ReadOnlySpan<double> parameters, int contextLength)
        => options.Activation == ScoreActivation.Identity
            ? new EnginePromptScorer(options, parameters, contextLength)
            : new TokenPromptScorer(new EmbeddedMatrices(options, parameters));
}
