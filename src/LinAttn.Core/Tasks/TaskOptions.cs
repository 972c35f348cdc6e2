using LinAttn.Internal;

namespace LinAttn.Tasks;

/// <summary>
/// An in-context regression task (Ahn et al. 2024 §2): per prompt, w* and n + 1 covariates are drawn, the context labels
/// are y_i = f(x_i) (+ noise) and the target is the query's noise-free label. Immutable; derive variants with <c>with</c>.
/// </summary>
public sealed record TaskOptions
{
    /// <summary>Default values, defined once.</summary>
    public static class Defaults
    {
        /// <summary>d = 5 (every paper setting but Fig. 5).</summary>
        public const int Dimension = 5;

        /// <summary>n = 20 context examples (Settings 1 and 3).</summary>
        public const int ContextLength = 20;

        /// <summary>k = 0.1, the paper's heavy-tailed Gamma shape.</summary>
        public const double GammaShape = 0.1;

        /// <summary>Width 10 of the random ReLU feature map (the authors' nonlinear notebook).</summary>
        public const int FeatureHiddenWidth = 10;

        /// <summary>Seed 7 for the feature map, as the authors' notebook.</summary>
        public const ulong FeatureMapSeed = 7;
    }

    /// <summary>Covariate dimension d. Range: ≥ 1.</summary>
    public int Dimension { get; init; } = Defaults.Dimension;

    /// <summary>Number n of context examples per prompt. Range: ≥ 1.</summary>
    public int ContextLength { get; init; } = Defaults.ContextLength;

    /// <summary>The covariate law.</summary>
    public CovariateDistribution Covariates { get; init; } = CovariateDistribution.Gaussian;

    /// <summary>Shape k of the Gamma radius law (only for <see cref="CovariateDistribution.Gamma"/>). Range: &gt; 0.</summary>
    public double GammaShape { get; init; } = Defaults.GammaShape;

    /// <summary>Optional Σ = U D² Uᵀ for Gaussian covariates; null means Σ = I.</summary>
    public CovarianceFactor? Covariance { get; init; }

    /// <summary>With a covariance: draw w* ~ N(0, Σ⁻¹) (w* = U D⁻¹ w_raw) instead of N(0, I).</summary>
    public bool WeightsFromInverseCovariance { get; init; }

    /// <summary>Additive noise on context labels.</summary>
    public LabelNoise Noise { get; init; } = LabelNoise.None;

    /// <summary>How labels depend on covariates.</summary>
    public TargetFunction Target { get; init; } = TargetFunction.Linear;

    /// <summary>Hidden width h of the random ReLU feature map. Range: ≥ 1.</summary>
    public int FeatureHiddenWidth { get; init; } = Defaults.FeatureHiddenWidth;

    /// <summary>Seed of the fixed random feature map.</summary>
    public ulong FeatureMapSeed { get; init; } = Defaults.FeatureMapSeed;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Guard.Positive(Dimension, nameof(Dimension));
        Guard.Positive(ContextLength, nameof(ContextLength));
        Guard.Defined(Covariates, nameof(Covariates));
        Guard.Positive(GammaShape, nameof(GammaShape));
        Guard.Defined(Target, nameof(Target));
        Guard.Positive(FeatureHiddenWidth, nameof(FeatureHiddenWidth));
        Guard.NotNull(Noise).Validate();
        if (Covariance is not null)
        {
            Guard.That(Covariance.Dimension == Dimension, nameof(Covariance),
                $"Covariance has dimension {Covariance.Dimension} but the task has d = {Dimension}.");
            Guard.That(Covariates == CovariateDistribution.Gaussian, nameof(Covariance),
                $"Covariance applies to Gaussian covariates only, but Covariates is {Covariates}.");
        }
        Guard.That(!WeightsFromInverseCovariance || Covariance is not null, nameof(WeightsFromInverseCovariance),
            "WeightsFromInverseCovariance needs a Covariance.");
    }
}
