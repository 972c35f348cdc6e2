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

    /// <summary>
    /// How many runs (optimizer × seed units) to compute at once. Above 1, each run trains and differentiates on one
    /// thread, which uses the cores better than one run on all of them (a B = 1000 batch is only four 256-prompt chunks).
    /// Results do not depend on it. Default 1.
    /// </summary>
    public int ParallelRuns { get; init; } = 1;
}
