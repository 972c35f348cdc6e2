namespace LinAttn.Diagnostics.Studies;

/// <summary>Progress of an <see cref="OptimizerComparison"/>: which unit, and how far it is.</summary>
/// <param name="Unit">The unit's store key (e.g. "setting1-adam-seed2", "setting1-noise").</param>
/// <param name="Progress">The unit's phase progress.</param>
/// <param name="Cached">True when the unit was loaded from the store instead of computed.</param>
/// <param name="Finished">True on the unit's last report (computed and stored, or loaded).</param>
public readonly record struct ComparisonProgress(string Unit, StudyProgress Progress, bool Cached, bool Finished = false);
