using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>What the search found for one optimizer.</summary>
public sealed class OptimizerSummary
{
    /// <summary>The optimizer's name in the search space.</summary>
    public required string Name { get; init; }

    /// <summary>The optimizer.</summary>
    public OptimizerKind Kind { get; init; }

    /// <summary>Its best search trial (highest rung reached, then lowest loss), or null when none produced a finite loss.</summary>
    public TrialResult? BestTrial { get; init; }

    /// <summary>The best trial's learning rate (NaN when none).</summary>
    public double BestLearningRate => BestTrial?.Parameter.LearningRate ?? double.NaN;

    /// <summary>The best trial's loss at its last rung, on the search seed.</summary>
    public double BestLoss => BestTrial?.Loss ?? double.NaN;

    /// <summary>The multi-seed confirmation of the best configuration (null when confirmation was off or did not run).</summary>
    public ConfirmationStatistics? Confirmation { get; init; }

    /// <summary>Loss vs learning rate of every search trial, sorted by rate; diverged trials (Loss NaN) mark the cliff.</summary>
    public IReadOnlyList<SensitivityPoint> SensitivityCurve { get; init; } = Array.Empty<SensitivityPoint>();

    /// <summary>The lowest learning rate above the best one at which a trial diverged, or null.</summary>
    public double? DivergenceCliff { get; init; }

    /// <summary>The stable range [low, high]: learning rates whose probe (or, without probes, search) runs neither diverged
    /// nor ended above their initial loss. Null when there is none.</summary>
    public (double Low, double High)? StableRange { get; init; }

    /// <summary>Training steps spent on this optimizer's search trials (probes, exploration, exploitation).</summary>
    public long StepsSpent { get; init; }

    /// <summary>Training steps spent on its confirmation runs.</summary>
    public long ConfirmationSteps { get; init; }

    /// <summary>Position in the ranking (1 = best).</summary>
    public int Rank { get; init; }
}
