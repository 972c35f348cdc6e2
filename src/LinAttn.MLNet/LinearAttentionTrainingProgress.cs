using LinAttn.Training;

namespace LinAttn.MLNet;

/// <summary>A progress report from <see cref="LinearAttentionRegressionTrainer.Fit"/>.</summary>
/// <param name="Phase">Synthetic pre-training or training on the user's prompts.</param>
/// <param name="Progress">Step, total steps, last training loss, gradient norm, monitor-batch loss and elapsed time of
/// the phase. In <see cref="LinearAttentionTrainingPhase.Training"/> the evaluation loss is the mean squared error on a
/// fixed monitor batch: the first rows of the training data (up to 1,000).</param>
public readonly record struct LinearAttentionTrainingProgress(LinearAttentionTrainingPhase Phase, TrainingProgress Progress);
