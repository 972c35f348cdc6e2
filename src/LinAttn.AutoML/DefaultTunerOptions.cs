namespace LinAttn.AutoML;

/// <summary>
/// Settings of the default strategy: learning-rate probe, Halton exploration under ASHA, model-based exploitation,
/// multi-seed confirmation. Every count is per optimizer, the same for all optimizers (a fair comparison).
/// </summary>
public sealed record DefaultTunerOptions
{
    /// <summary>Log-spaced probe learning rates over the family's prior (7: about 1.5 points per decade over 4 decades).</summary>
    public int ProbePoints { get; init; } = 7;

    /// <summary>How many times the probe range may grow by one spacing when the best probe sits on an edge.</summary>
    public int ProbeWidenings { get; init; } = 3;

    /// <summary>Probe length as a fraction of the smallest rung (⅓: with T/9 as the smallest rung, probes run T/27 steps).</summary>
    public double ProbeStepsFraction { get; init; } = 1.0 / 3;

    /// <summary>Halton points per optimizer (9 = 3², so with η = 3 one trial reaches the top of three rungs).</summary>
    public int ExplorationPoints { get; init; } = 9;

    /// <summary>The exploration range spans this many decades either side of its centre.</summary>
    public double ExplorationHalfWidthDecades { get; init; } = 1.0;

    /// <summary>The centre of the exploration range sits this many decades below the best probe rate: with a constant
    /// learning rate, short runs favour larger rates than the full horizon does (measured on Setting 1: see docs/automl.md).</summary>
    public double ExplorationShiftDecades { get; init; } = 0.5;

    /// <summary>The exploration range stops at the divergence cliff of the probe divided by this factor: a rate that
    /// diverges in a short run is a risk for longer runs and other seeds at half that rate too.</summary>
    public double CliffSafetyFactor { get; init; } = 2.0;

    /// <summary>Model-based proposals per optimizer (a Gaussian process on log lr; TPE when more options are searched),
    /// made while the search budget lasts.</summary>
    public int ExploitationPoints { get; init; } = 3;

    /// <summary>Seeds of the confirmation runs of each optimizer's best configuration (0: no confirmation). Not counted in
    /// the search budget.</summary>
    public int ConfirmationSeeds { get; init; } = 5;

    internal void Validate()
    {
        Internal.Guard.That(ProbePoints >= 2, nameof(ProbePoints), $"ProbePoints must be at least 2, but was {ProbePoints}.");
        Internal.Guard.NonNegative(ProbeWidenings, nameof(ProbeWidenings));
        Internal.Guard.That(ProbeStepsFraction > 0 && ProbeStepsFraction <= 1, nameof(ProbeStepsFraction), $"ProbeStepsFraction must be in (0, 1], but was {ProbeStepsFraction}.");
        Internal.Guard.Positive(ExplorationPoints, nameof(ExplorationPoints));
        Internal.Guard.Positive(ExplorationHalfWidthDecades, nameof(ExplorationHalfWidthDecades));
        Internal.Guard.That(ExplorationShiftDecades >= 0 && double.IsFinite(ExplorationShiftDecades), nameof(ExplorationShiftDecades), $"ExplorationShiftDecades must be a non-negative number, but was {ExplorationShiftDecades}.");
        Internal.Guard.That(CliffSafetyFactor >= 1 && double.IsFinite(CliffSafetyFactor), nameof(CliffSafetyFactor), $"CliffSafetyFactor must be at least 1, but was {CliffSafetyFactor}.");
        Internal.Guard.NonNegative(ExploitationPoints, nameof(ExploitationPoints));
        Internal.Guard.NonNegative(ConfirmationSeeds, nameof(ConfirmationSeeds));
    }
}
