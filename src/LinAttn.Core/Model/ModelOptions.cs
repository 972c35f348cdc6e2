using LinAttn.Internal;

namespace LinAttn.Model;

/// <summary>
/// The architecture of a linear-attention stack (Ahn et al. 2024, §3.1): L layers of H heads over tokens of size d + 1.
/// Immutable; use <c>with</c> to derive variants.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>Default values, defined once and used by every entry point.</summary>
    public static class Defaults
    {
        /// <summary>d = 5, as in every paper setting but Fig. 5.</summary>
        public const int Dimension = 5;

        /// <summary>L = 3, the paper's base model.</summary>
        public const int Layers = 3;

        /// <summary>H = 1 ("in most of our experiments, n_head = 1").</summary>
        public const int Heads = 1;

        /// <summary>Standard deviation 0.05 of the N(0, std²) initialisation (the authors' <c>var = 0.05</c>).</summary>
        public const double InitStd = 0.05;
    }

    /// <summary>Covariate dimension d (tokens have d + 1 entries). Range: d ≥ 1.</summary>
    public int Dimension { get; init; } = Defaults.Dimension;

    /// <summary>Number of layers L. Range: L ≥ 1.</summary>
    public int Layers { get; init; } = Defaults.Layers;

    /// <summary>Number of heads H per layer; heads are summed, each with its own 1/n. Range: H ≥ 1.</summary>
    public int Heads { get; init; } = Defaults.Heads;

    /// <summary>How P and Q are built from the trainable parameters.</summary>
    public Parametrization Parametrization { get; init; } = Parametrization.Restricted;

    /// <summary>Score activation; <see cref="ScoreActivation.Identity"/> is linear attention.</summary>
    public ScoreActivation Activation { get; init; } = ScoreActivation.Identity;

    /// <summary>Standard deviation of the i.i.d. N(0, std²) initialisation of every trainable entry. Range: ≥ 0.</summary>
    public double InitStd { get; init; } = Defaults.InitStd;

    /// <summary>Precision of parameters and computation.</summary>
    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>
    /// Hidden width h of an optional trainable feature MLP applied to the x-part of every token (context and query)
    /// before the first layer: x ← W₂ ReLU(W₁ x + b₁) + b₂ with W₁ ∈ R^(h×d), W₂ ∈ R^(d×h) (the authors'
    /// <c>Transformer_MLP</c> of the nonlinear-regression experiment uses h = 30). 0 (the default) means no MLP.
    /// Its h·d + h + d·h + d parameters follow the attention parameters in θ, and the parameter tensor is then flat.
    /// Range: ≥ 0.
    /// </summary>
    public int FeatureMlpWidth { get; init; }

    /// <summary>Side k of each stored matrix: d for Restricted and PreconditionedGd, d + 1 for Full.</summary>
    public int MatrixSize => Parametrization == Parametrization.Full ? Dimension + 1 : Dimension;

    /// <summary>Matrices stored per head: 2 (P and Q), or 1 (Q only) for PreconditionedGd.</summary>
    public int MatricesPerHead => Parametrization == Parametrization.PreconditionedGd ? 1 : 2;

    /// <summary>Shape of the parameter tensor: [L, H, m, k, k], or flat [<see cref="ParameterCount"/>] with a feature MLP
    /// (whose attention part is <see cref="AttentionShape"/>).</summary>
    public long[] ParameterShape => FeatureMlpWidth > 0 ? new long[] { ParameterCount } : AttentionShape;

    /// <summary>Shape [L, H, m, k, k] of the attention parameters (the first <see cref="AttentionParameterCount"/> of θ).</summary>
    public long[] AttentionShape => new long[] { Layers, Heads, MatricesPerHead, MatrixSize, MatrixSize };

    /// <summary>Number of attention parameters, L·H·m·k².</summary>
    public int AttentionParameterCount => Layers * Heads * MatricesPerHead * MatrixSize * MatrixSize;

    /// <summary>Number of feature-MLP parameters, 2·h·d + h + d (0 without the MLP).</summary>
    public int FeatureMlpParameterCount => FeatureMlpWidth > 0 ? 2 * FeatureMlpWidth * Dimension + FeatureMlpWidth + Dimension : 0;

    /// <summary>Number of trainable scalars: attention (L·H·m·k²) plus feature MLP.</summary>
    public int ParameterCount => AttentionParameterCount + FeatureMlpParameterCount;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Guard.Positive(Dimension, nameof(Dimension));
        Guard.Positive(Layers, nameof(Layers));
        Guard.Positive(Heads, nameof(Heads));
        Guard.Defined(Parametrization, nameof(Parametrization));
        Guard.Defined(Activation, nameof(Activation));
        Guard.NonNegative(InitStd, nameof(InitStd));
        Guard.Defined(Precision, nameof(Precision));
        Guard.NonNegative(FeatureMlpWidth, nameof(FeatureMlpWidth));
    }

    /// <summary>Flat offset of entry [l, h, m, r, c] in the parameter vector (row-major, as the tensor).</summary>
    public int Offset(int layer, int head, int matrix, int row, int column)
    {
        int k = MatrixSize;
        return ((((layer * Heads) + head) * MatricesPerHead + matrix) * k + row) * k + column;
    }

    /// <summary>Index of Q along the matrix axis (1, or 0 for PreconditionedGd).</summary>
    public int QIndex => Parametrization == Parametrization.PreconditionedGd ? 0 : 1;
}
