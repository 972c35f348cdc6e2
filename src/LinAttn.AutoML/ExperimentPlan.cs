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
    public string SettingsJson(IReadOnlyList<int> rungs)
    {
        System.Text.Json.Nodes.JsonNode settings = System.Text.Json.JsonSerializer.SerializeToNode(new
        {
            stepsPerTrial = StepsPerTrial,
            searchStepBudget = SearchStepBudget,
            maxModels = MaxModels,
            divergenceLossRatio = DivergenceLossRatio,
            rungs,
            tuner = TunerName,
            task = new { Task.Name, Task.Model, Task.Task, batchSize = Task.Training.BatchSize, evaluationBatchSize = Task.Training.EvaluationBatchSize,
                evaluationSeed = Task.Training.EvaluationSeed, engine = Task.Training.Engine.ToString(), Task.Training.Schedule },
        }, Internal.Json.Options)!;
        // Written only when it is not the default, so studies stored before the option existed still resume.
        if (Task.Training.Sampling != PromptSampling.Tokens) settings["task"]!["sampling"] = Task.Training.Sampling.ToString();
        if (Task.Training.MaxSkippedSteps != 0) settings["task"]!["maxSkippedSteps"] = Task.Training.MaxSkippedSteps;
        return settings.ToJsonString(Internal.Json.Options);
    }
}
