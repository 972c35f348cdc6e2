using LinAttn.Internal;

namespace LinAttn.Tasks;

/// <summary>How the standard deviation σ of additive context-label noise is chosen per prompt.</summary>
public enum NoiseKind
{
    /// <summary>No noise (the paper's setting).</summary>
    None = 0,

    /// <summary>σ fixed for every prompt.</summary>
    Fixed = 1,

    /// <summary>σ ~ Uniform(0, σ_max) per prompt (Vladymyrov et al. 2024, "mixed noise variance").</summary>
    Uniform = 2,

    /// <summary>σ drawn uniformly from a finite set per prompt (Vladymyrov et al. 2024, e.g. {1, 3, 5}).</summary>
    Categorical = 3,
}

/// <summary>
/// Additive label noise y_i = ⟨w, x_i⟩ + σ ε_i, ε_i ~ N(0, 1), on context labels only; the query target stays
/// noise-free. σ is fixed within a prompt and drawn per prompt as <see cref="Kind"/> says.
/// </summary>
public sealed record LabelNoise
{
    /// <summary>No label noise.</summary>
    public static LabelNoise None { get; } = new();

    /// <summary>The rule that picks σ per prompt.</summary>
    public NoiseKind Kind { get; init; } = NoiseKind.None;

    /// <summary>σ for <see cref="NoiseKind.Fixed"/>, σ_max for <see cref="NoiseKind.Uniform"/>. Range: ≥ 0.</summary>
    public double Sigma { get; init; }

    /// <summary>The set of σ values for <see cref="NoiseKind.Categorical"/>.</summary>
    public IReadOnlyList<double> Choices { get; init; } = Array.Empty<double>();

    /// <summary>σ fixed for every prompt.</summary>
    public static LabelNoise Fixed(double sigma) => new() { Kind = NoiseKind.Fixed, Sigma = sigma };

    /// <summary>σ ~ Uniform(0, sigmaMax) per prompt.</summary>
    public static LabelNoise Uniform(double sigmaMax) => new() { Kind = NoiseKind.Uniform, Sigma = sigmaMax };

    /// <summary>σ uniform over <paramref name="sigmas"/> per prompt.</summary>
    public static LabelNoise Categorical(params double[] sigmas) => new() { Kind = NoiseKind.Categorical, Choices = sigmas };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad value.</summary>
    public void Validate()
    {
        Guard.Defined(Kind, nameof(Kind));
        Guard.NonNegative(Sigma, nameof(Sigma));
        if (Kind == NoiseKind.Categorical)
        {
            Guard.That(Choices.Count > 0, nameof(Choices), "Choices must hold at least one σ for categorical label noise.");
            foreach (double sigma in Choices) Guard.NonNegative(sigma, nameof(Choices));
        }
    }
}
