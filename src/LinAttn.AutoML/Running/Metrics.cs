using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>Computes the reported <see cref="RegressionMetric"/> from the evaluation MSE.</summary>
internal static class Metrics
{
    /// <summary>The metric from the MSE (R² uses the label variance of the task's evaluation batch).</summary>
    public static double From(RegressionMetric metric, double mse, RunSpec task, double? labelVariance = null) => metric switch
    {
        RegressionMetric.RootMeanSquaredError => Math.Sqrt(mse),
        RegressionMetric.RSquared => 1.0 - mse / (labelVariance ?? LabelVariance(task)),
        _ => mse,
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<RunSpec, double> Variances = new();

    /// <summary>Var(y) on the task's fixed evaluation batch (sampled once per task).</summary>
    public static double LabelVariance(RunSpec task) => Variances.GetOrAdd(task, t =>
    {
        var sampler = new LinAttn.Tasks.PromptSampler(t.Task);
        float[] y = sampler.Sample(t.Training.EvaluationBatchSize, t.Training.EvaluationSeed, LinAttn.Random.StreamPurpose.Evaluation, 0, 1).Targets;
        double mean = y.Average(v => (double)v);
        return y.Sum(v => (v - mean) * (v - mean)) / y.Length;
    });
}
