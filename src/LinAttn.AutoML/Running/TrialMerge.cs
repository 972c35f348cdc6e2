namespace LinAttn.AutoML;

/// <summary>Folds a job's result into its trial's previous state: rungs accumulate, a failed or cancelled job keeps the
/// steps already done, the metric is computed from the loss, wall time adds up.</summary>
internal static class TrialMerge
{
    /// <param name="previous">The trial's state before the job (null for a new trial).</param>
    /// <param name="result">What the job produced, or (<paramref name="cumulative"/>) the trial's stored state.</param>
    /// <param name="plan">The experiment (metric, label variance).</param>
    /// <param name="cumulative">True when <paramref name="result"/> came from storage: its wall time already includes
    /// the earlier jobs.</param>
    public static TrialResult Merge(TrialResult? previous, TrialResult result, ExperimentPlan plan, bool cumulative)
    {
        var rungs = (previous?.Rungs ?? Array.Empty<RungResult>()).Where(x => result.Rungs.All(y => y.Steps != x.Steps))
            .Concat(result.Rungs).OrderBy(x => x.Steps).ToList();
        return new TrialResult
        {
            TrialId = result.TrialId, Parameter = result.Parameter, Phase = result.Phase, SeedIndex = result.SeedIndex, MaxSteps = result.MaxSteps,
            Status = result.Status,
            Steps = result.Status is TrialStatus.Failed or TrialStatus.Cancelled ? Math.Max(result.Steps, previous?.Steps ?? 0) : result.Steps,
            Loss = result.Loss, Metric = Metrics.From(plan.Metric, result.Loss, plan.Task, plan.LabelVariance),
            InitialLoss = double.IsFinite(result.InitialLoss) ? result.InitialLoss : previous?.InitialLoss ?? double.NaN,
            DivergedAtStep = result.DivergedAtStep, Rungs = rungs, Message = result.Message, Exception = result.Exception,
            WallSeconds = cumulative ? Math.Max(result.WallSeconds, previous?.WallSeconds ?? 0) : (previous?.WallSeconds ?? 0) + result.WallSeconds,
            FinalParameters = result.FinalParameters,
        };
    }

    /// <summary>A job that ended without a result from the runner (it threw, or never started).</summary>
    public static TrialResult Failure(TrialSettings job, TrialStatus status, string message, string? exception) => new()
    {
        TrialId = job.TrialId, Parameter = job.Parameter!, Phase = job.Phase, SeedIndex = job.SeedIndex, MaxSteps = job.MaxSteps,
        Status = status, Steps = job.StartSteps, Message = message, Exception = exception,
    };
}
