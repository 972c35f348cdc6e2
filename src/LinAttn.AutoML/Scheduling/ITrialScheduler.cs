namespace LinAttn.AutoML;

/// <summary>
/// Decides how many steps trials get: where a new trial stops first, and which paused trials continue. The experiment
/// calls <see cref="Promote"/> only between batches of trials, on the full table in trial-id order, so decisions do not
/// depend on how many trials ran at once.
/// </summary>
public interface ITrialScheduler
{
    /// <summary>The rungs (steps at which trials stop for a decision) for a horizon of <paramref name="maxSteps"/>; the
    /// last is <paramref name="maxSteps"/>.</summary>
    IReadOnlyList<int> Rungs(int maxSteps);

    /// <summary>The first stop of a new trial.</summary>
    int FirstRung(TrialSettings settings);

    /// <summary>The paused trials that continue, and to which rung.</summary>
    IReadOnlyList<Promotion> Promote(IReadOnlyList<TrialResult> trials);
}
