namespace LinAttn.Tasks;

/// <summary>How labels depend on covariates.</summary>
public enum TargetFunction
{
    /// <summary>y = ⟨w*, x⟩ (every linear experiment of the paper).</summary>
    Linear = 0,

    /// <summary>y = ⟨w*, φ(x)⟩ with a fixed random map φ = Linear(d→h)–ReLU–Linear(h→d), PyTorch-default
    /// initialisation, drawn once from <see cref="TaskOptions.FeatureMapSeed"/> (the paper's nonlinear experiment).</summary>
    RandomReluFeatures = 1,
}
