namespace LinAttn.MLNet;

/// <summary>The phases of <see cref="LinearAttentionRegressionTrainer.Fit"/>.</summary>
public enum LinearAttentionTrainingPhase
{
    /// <summary>Optional synthetic pre-training on prompts from a task sampler with the data's d and n.</summary>
    Pretraining = 0,

    /// <summary>Training on the user's prompts, streamed from the IDataView.</summary>
    Training = 1,
}
