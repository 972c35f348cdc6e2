namespace LinAttn.AutoML;

/// <summary>No early stopping: every trial trains to its full horizon.</summary>
public sealed class FullBudgetScheduler : ITrialScheduler
{
    /// <inheritdoc />
    public IReadOnlyList<int> Rungs(int maxSteps) => new[] { maxSteps };

    /// <inheritdoc />
    public int FirstRung(TrialSettings settings) => settings.Steps > 0 ? settings.Steps : settings.MaxSteps;

    /// <inheritdoc />
    public IReadOnlyList<Promotion> Promote(IReadOnlyList<TrialResult> trials) => Array.Empty<Promotion>();
}
