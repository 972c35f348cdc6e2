using LinAttn.Model;

namespace LinAttn.MLNet.Scoring;

/// <summary>Chooses the managed scorer for an architecture.</summary>
internal static class PromptScorers
{
    /// <summary>The S-form for linear attention (identity scores), the token-level form for softmax and ReLU.</summary>
    public static IPromptScorer Create(ModelOptions options, ReadOnlySpan<double> parameters)
    {
        var matrices = new EmbeddedMatrices(options, parameters);
        return options.Activation == ScoreActivation.Identity
            ? new ManagedPromptScorer(matrices)
            : new TokenPromptScorer(matrices);
    }
}
