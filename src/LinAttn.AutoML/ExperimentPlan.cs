using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>Everything that decides an experiment's trial table, fixed when <see cref="AutoMLExperiment.RunAsync"/> starts.</summary>
internal sealed record ExperimentPlan(
    RunSpec Task,
    SearchSpace Space,
    ulong Seed,
    int StepsPerTrial,
    long SearchStepBudget,
    int? MaxModels,
    double? TimeLimitSeconds,
    int MaxConcurrentTrials,
    int MaxConsecutiveFailures,
    double? DivergenceLossRatio,
    RegressionMetric Metric,
    string TunerName,
    string StudyName,
    double? LabelVariance = null)
{
    /// <summary>The settings that must match for a study to be resumed (not concurrency, time limit or monitor).</summary>
    public string SettingsJson(IReadOnlyList<int> rungs) => System.Text.Json.JsonSerializer.Serialize(new
    {
        stepsPerTrial = StepsPerTrial,
        searchStepBudget = SearchStepBudget,
        maxModels = MaxModels,
        divergenceLossRatio = DivergenceLossRatio,
        rungs,
        tuner = TunerName,
        task = new { Task.Name, Task.Model, Task.Task, batchSize = Task.Training.BatchSize, evaluationBatchSize = Task.Training.EvaluationBatchSize,
            evaluationSeed = Task.Training.EvaluationSeed, engine = Task.Training.Engine.ToString(), Task.Training.Schedule },
    }, Internal.Json.Options);
}
