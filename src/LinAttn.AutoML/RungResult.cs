namespace LinAttn.AutoML;

/// <summary>The evaluation loss of a trial when it reached a rung.</summary>
/// <param name="Steps">The rung (training steps done).</param>
/// <param name="Loss">MSE on the fixed evaluation batch at θ_Steps.</param>
public readonly record struct RungResult(int Steps, double Loss);
