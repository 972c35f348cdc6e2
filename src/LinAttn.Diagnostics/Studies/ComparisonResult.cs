using LinAttn.Training;

namespace LinAttn.Diagnostics.Studies;

/// <summary>SGDM and Adam runs of one <see cref="ComparisonVariant"/> over seeds, and the noise at initialisation,
/// with the paper's aggregates.</summary>
public sealed class ComparisonResult
{
    internal ComparisonResult(ComparisonVariant variant, IReadOnlyList<TrajectoryResult> sgdm, IReadOnlyList<TrajectoryResult> adam, NoiseStudyResult? noise)
    {
        Variant = variant;
        Sgdm = sgdm;
        Adam = adam;
        Noise = noise;
        NoiseStatistics = noise?.ToResult();
    }

    /// <summary>The configuration.</summary>
    public ComparisonVariant Variant { get; }

    /// <summary>SGDM runs, by seed.</summary>
    public IReadOnlyList<TrajectoryResult> Sgdm { get; }

    /// <summary>Adam runs, by seed.</summary>
    public IReadOnlyList<TrajectoryResult> Adam { get; }

    /// <summary>The noise measurement (null when not requested).</summary>
    public NoiseStudyResult? Noise { get; }

    /// <summary>The noise statistics (null when not requested).</summary>
    public GradientNoiseResult? NoiseStatistics { get; }

    /// <summary>The runs of one optimizer.</summary>
    public IReadOnlyList<TrajectoryResult> Runs(OptimizerKind optimizer) => optimizer == OptimizerKind.Adam ? Adam : Sgdm;

    /// <summary>Evaluation loss, mean and std over seeds per step.</summary>
    public SeedBand LossBand(OptimizerKind optimizer) => SeedBand.Across(Runs(optimizer).Select(r => r.LossSeries));

    /// <summary>R_med, mean and std over seeds per step.</summary>
    public SeedBand ConditionBand(OptimizerKind optimizer, RobustConditionDefinition definition = RobustConditionDefinition.AbsoluteDiagonal)
        => SeedBand.Across(Runs(optimizer).Select(r => r.ConditionSeries(definition)));

    /// <summary>Directional smoothness, mean and std over seeds per step (signed values).</summary>
    public SeedBand SmoothnessBand(OptimizerKind optimizer) => SeedBand.Across(Runs(optimizer).Select(r => r.SmoothnessSeries));

    /// <summary>R^SGD/R^Adam at <paramref name="step"/>, per seed and mean (std).</summary>
    public RatioSummary ConditionRatio(int step, RobustConditionDefinition definition = RobustConditionDefinition.AbsoluteDiagonal)
        => RatioSummary.At(Sgdm, Adam, step, definition);

    /// <summary>Mean over seeds of the final evaluation loss.</summary>
    public double FinalLoss(OptimizerKind optimizer) => Runs(optimizer).Select(r => r.FinalLoss).DefaultIfEmpty(double.NaN).Average();
}
