namespace LinAttn.Training;

/// <summary>A progress report from the training loop (sent at every evaluation and at the end).</summary>
/// <param name="Step">Steps done so far.</param>
/// <param name="TotalSteps">Steps requested.</param>
/// <param name="TrainLoss">Training loss of the last step.</param>
/// <param name="GradientNorm">Pre-clip gradient norm of the last step.</param>
/// <param name="EvaluationLoss">The latest evaluation loss, or NaN.</param>
/// <param name="Elapsed">Wall time since the loop started.</param>
public readonly record struct TrainingProgress(int Step, int TotalSteps, double TrainLoss, double GradientNorm, double EvaluationLoss, TimeSpan Elapsed);
