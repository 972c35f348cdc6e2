namespace LinAttn.AutoML;

/// <summary>A scheduler's decision to continue a paused trial to its next rung.</summary>
/// <param name="TrialId">The trial.</param>
/// <param name="Steps">The rung to train to.</param>
public readonly record struct Promotion(int TrialId, int Steps);
