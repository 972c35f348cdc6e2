namespace LinAttn.MLNet.Scoring;

/// <summary>
/// Scores one prompt in managed code (no native call per row). Implementations are immutable and thread-safe: one
/// instance is shared by every cursor and PredictionEngine of a model. A faster batched engine can replace the
/// implementation behind this interface without touching the ML.NET plumbing.
/// </summary>
internal interface IPromptScorer
{
    /// <summary>ŷ = −[Z_L]_{query, y} for the prompt held as tokens.</summary>
    /// <param name="tokens">[N + 1, d + 1] row-major: rows 0..N−1 the context pairs (x_i, y_i), row N the query (x_q, ·).
    /// The query's label entry is ignored (treated as 0).</param>
    /// <param name="contextLength">n_b in [1, N]: only the first n_b context rows are keys, and 1/n uses n_b.</param>
    double Score(ReadOnlySpan<float> tokens, int contextLength);
}
