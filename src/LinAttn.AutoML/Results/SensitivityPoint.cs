namespace LinAttn.AutoML;

/// <summary>One point of an optimizer's learning-rate sensitivity curve: a search trial at the last rung it reached.</summary>
/// <param name="LearningRate">η.</param>
/// <param name="Steps">Steps trained (the fidelity of <paramref name="Loss"/>).</param>
/// <param name="Loss">Evaluation MSE at <paramref name="Steps"/>; NaN for a diverged trial (the cliff).</param>
/// <param name="Status">The trial's status.</param>
/// <param name="TrialId">The trial.</param>
/// <param name="Phase">The part of the search it came from.</param>
public readonly record struct SensitivityPoint(double LearningRate, int Steps, double Loss, TrialStatus Status, int TrialId, TrialPhase Phase);
