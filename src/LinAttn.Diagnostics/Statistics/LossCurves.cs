using LinAttn.Training;

namespace LinAttn.Diagnostics;

/// <summary>Loss curves over seeds (Ahn et al. 2024 Fig. 2 (1)): the evaluation loss every k steps of each run, then
/// the mean and standard deviation per step across seeds.</summary>
public static class LossCurves
{
    /// <summary>The evaluation-loss series of one run (the fixed evaluation batch, every <c>EvaluateEvery</c> steps).</summary>
    public static StepSeries Evaluation(TrainingHistory history)
    {
        Check.NotNull(history, nameof(history));
        return new StepSeries(history.EvaluationSteps.ToArray(), history.EvaluationLoss.ToArray());
    }

    /// <summary>Mean and standard deviation of the evaluation loss per step across the runs of several seeds.</summary>
    public static SeedBand Aggregate(IEnumerable<TrainingHistory> histories) => SeedBand.Across(Check.NotNull(histories, nameof(histories)).Select(Evaluation));
}
