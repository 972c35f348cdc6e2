namespace LinAttn.Training;

/// <summary>How the training batches are drawn (<see cref="TrainingOptions.Sampling"/>).</summary>
public enum PromptSampling
{
    /// <summary>Every prompt's n + 1 tokens, as the paper's code (the default; both engines, every task and model).</summary>
    Tokens = 0,

    /// <summary>
    /// Only what linear attention reads: each prompt's S₀ = Σ z_i z_iᵀ drawn from its Wishart law (Bartlett
    /// decomposition) and the query token. Same law of the training data as <see cref="Tokens"/>, different draws, about
    /// four times fewer random numbers at d = 5, n = 20. Fast engine, linear attention without a feature MLP, Gaussian
    /// covariates, linear labels, n ≥ d (+1 with label noise). Evaluation and diagnostics batches keep their tokens.
    /// </summary>
    Moments = 1,
}
