namespace LinAttn.Tasks;

/// <summary>The law of the covariates x (context and query alike), per Ahn et al. (2024) §2 and Table 1.</summary>
public enum CovariateDistribution
{
    /// <summary>x ~ N(0, I_d), or N(0, Σ) with <see cref="TaskOptions.Covariance"/> (Settings 1 and 2).</summary>
    Gaussian = 0,

    /// <summary>x uniform on the unit sphere S^(d−1) (the "spherical" setting of Fig. 7): E[xxᵀ] = I/d.</summary>
    Sphere = 1,

    /// <summary>
    /// Heavy-tailed: x = √g · u with u uniform on the sphere and g ~ Gamma(k, θ = √(10/k)) (Setting 3, k = 0.1).
    /// Var‖x‖² = kθ² = 10 for every k; k = 2.5 with d = 5 gives exactly N(0, I).
    /// </summary>
    Gamma = 2,
}
