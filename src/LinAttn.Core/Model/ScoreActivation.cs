namespace LinAttn.Model;

/// <summary>The function applied to the attention scores s_ji = z_jᵀ Q z_i before the key mask.</summary>
public enum ScoreActivation
{
    /// <summary>None: linear attention, the paper's model. Computed in the associative form (cost independent of n).</summary>
    Identity = 0,

    /// <summary>Softmax over the keys of each row (all n + 1 tokens, as in the authors' code; padded tokens excluded),
    /// then the query column is masked and the 1/n factor kept. Used for the paper's Fig. 4.</summary>
    Softmax = 1,

    /// <summary>ReLU of each score (ReLU attention, Ahn et al. 2023 Thm 5).</summary>
    Relu = 2,
}
