namespace LinAttn.Diagnostics.Studies;

/// <summary>What <see cref="OptimizerComparison"/> runs for a variant.</summary>
public sealed record ComparisonOptions
{
    /// <summary>Seeds of the repetitions (the paper: 0–5).</summary>
    public IReadOnlyList<ulong> Seeds { get; init; } = new ulong[] { 0, 1, 2, 3, 4, 5 };

    /// <summary>Trajectory diagnostics of every run.</summary>
    public TrajectoryOptions Trajectory { get; init; } = new();

    /// <summary>Gradient noise at initialisation; null skips it.</summary>
    public GradientNoiseOptions? Noise { get; init; }

    /// <summary>Seed of θ_0 for the noise (the paper: 1).</summary>
    public ulong NoiseSeed { get; init; } = 1;
}
