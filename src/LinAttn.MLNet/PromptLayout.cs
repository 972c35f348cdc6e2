namespace LinAttn.MLNet;

/// <summary>How a prompt with n context pairs (x_i ∈ R^d, y_i) and a query x_q is laid out in the features vector of
/// length n(d+1)+d. The query is the last d values in both layouts.</summary>
public enum PromptLayout
{
    /// <summary><c>[x1, y1, x2, y2, ..., xn, yn, xq]</c>: each context pair's d covariates followed by its label.</summary>
    Interleaved = 0,

    /// <summary><c>[x1, ..., xn, y1, ..., yn, xq]</c>: what <c>Concatenate("Features", "ContextX", "ContextY", "QueryX")</c>
    /// produces from a ContextX column of n·d values (row-major, one x_i after the other), a ContextY column of n labels and
    /// a QueryX column of d values.</summary>
    Concatenated = 1,
}
