using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinAttn.Diagnostics.Studies;

/// <summary>Gradient noise measured at a run's initialisation, as plain serializable data (see
/// <see cref="NoiseStudy"/>); <see cref="ToResult"/> rebuilds the statistics.</summary>
public sealed record NoiseStudyResult
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The run's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Seed of θ_0 (the paper: 1).</summary>
    public ulong Seed { get; init; }

    /// <summary>The options used.</summary>
    public GradientNoiseOptions Options { get; init; } = new();

    /// <summary>‖g_B − g_full‖ per minibatch.</summary>
    public double[] Norms { get; init; } = Array.Empty<double>();

    /// <summary>The full gradient.</summary>
    public double[] FullGradient { get; init; } = Array.Empty<double>();

    /// <summary>Wall-clock seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Rebuilds the statistics (tails, histogram, Q-Q data).</summary>
    public GradientNoiseResult ToResult() => new(Options, Norms, FullGradient, Seconds);

    /// <summary>Serializes to JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">Not a noise result.</exception>
    public static NoiseStudyResult FromJson(string json)
        => JsonSerializer.Deserialize<NoiseStudyResult>(json, Json) ?? throw new JsonException("The JSON holds no noise result.");
}
