using LinAttn.MLNet;
using LinAttn.MLNet.Internal;
using LinAttn.MLNet.Training;
using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training;
using Microsoft.ML;

namespace LinAttn.AutoML;

/// <summary>
/// The AutoML entry of the ML.NET catalog (<c>mlContext.LinearAttentionAutoML()</c>): experiments on an IDataView of
/// prompts, configured from the ML.NET trainer's options, or on a synthetic task. The best model comes back as the same
/// savable transformer the trainer returns (<see cref="ExperimentResult.BestModel"/>).
/// </summary>
public sealed class LinearAttentionAutoMLCatalog
{
    private const int MonitorRows = 1000;

    internal LinearAttentionAutoMLCatalog(MLContext mlContext) => MLContext = mlContext;

    /// <summary>The ML.NET context.</summary>
    public MLContext MLContext { get; }

    /// <summary>
    /// An experiment whose trials train on <paramref name="trainData"/> (prompts read in data order, repeated end to end,
    /// B rows per step) and are scored on the first 1,000 rows of <paramref name="validationData"/>. Architecture,
    /// columns, layout, batch size, clipping and schedule come from <paramref name="options"/>; optimizer and learning
    /// rate are what the experiment searches (add them with <see cref="AutoMLExperiment.AddOptimizer(string, double?, double?)"/>).
    /// </summary>
    /// <param name="trainData">Training prompts (the trainer's schema: features vector, Single label, optional context length).</param>
    /// <param name="validationData">Held-out prompts for the trial metric (the same schema).</param>
    /// <param name="options">The trainer's options (validated; the columns are checked against <paramref name="trainData"/>).</param>
    /// <param name="seed">The experiment seed (initialisation of every search trial).</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size.</exception>
    public AutoMLExperiment CreateExperiment(IDataView trainData, IDataView validationData, LinearAttentionRegressionTrainer.Options options, ulong seed = 0)
    {
        Guard.NotNull(trainData);
        Guard.NotNull(validationData);
        Guard.NotNull(options);
        options.Validate();
        PromptShape shape = SchemaChecks.CheckFeatures(trainData.Schema, options.FeatureColumnName, options.Dimension, options.ContextLength, options.Layout);
        SchemaChecks.CheckLabel(trainData.Schema, options.LabelColumnName);
        SchemaChecks.CheckContextLength(trainData.Schema, options.ContextLengthColumnName);
        SchemaChecks.CheckFeatures(validationData.Schema, options.FeatureColumnName, shape.Dimension, shape.ContextLength, options.Layout);
        SchemaChecks.CheckLabel(validationData.Schema, options.LabelColumnName);
        long rows = DataViewBatchSource.CountRows(trainData, options.CancellationToken);
        if (rows == 0) throw new InvalidOperationException($"The training data has no rows: the experiment needs prompts in column '{options.FeatureColumnName}'.");
        int batch = (int)Math.Min(options.BatchSize, rows);

        ModelOptions model = options.ToModelOptions(shape.Dimension);
        var task = new TaskOptions { Dimension = shape.Dimension, ContextLength = shape.ContextLength };   // geometry only: data come from the IDataView
        var spec = new RunSpec("data", model, task, options.ToTrainingOptions(1, batch, MonitorRows));
        PromptBatch evaluation;
        using (var reader = new DataViewBatchSource(validationData, shape, options.FeatureColumnName, options.LabelColumnName, options.ContextLengthColumnName, 1))
        {
            long validationRows = DataViewBatchSource.CountRows(validationData, options.CancellationToken);
            if (validationRows == 0) throw new InvalidOperationException("The validation data has no rows.");
            evaluation = reader.ReadFirst((int)Math.Min(validationRows, MonitorRows));
        }

        TrainingRun Start(RunSpec trial)
        {
            var source = new DataViewBatchSource(trainData, shape, options.FeatureColumnName, options.LabelColumnName, options.ContextLengthColumnName, trial.Training.BatchSize);
            ITrainingBackend backend = Runner.CreateBackend(trial.Model, trial.Training, LinearTransformer.InitialParameters(trial.Model, trial.Training.Seed));
            return new TrainingRun(new OwningBackend(backend, source), trial.Training, source, evaluation);
        }

        double variance = Variance(evaluation.Targets);
        var export = new ModelExport(options.FeatureColumnName, options.ContextLengthColumnName, options.Layout, options.ScoreColumnName, trainData);
        return new AutoMLExperiment(spec, seed).SetTrialRunner(Start).WithExport(export, variance);
    }

    /// <summary>An experiment on a synthetic task (fresh prompts every step, as in the paper); the best model scores prompts
    /// in the interleaved layout from a "Features" column.</summary>
    public AutoMLExperiment CreateExperiment(RunSpec syntheticTask, ulong seed = 0) => new(Guard.NotNull(syntheticTask), seed);

    private static double Variance(float[] y)
    {
        double mean = y.Average(v => (double)v);
        return y.Sum(v => (v - mean) * (v - mean)) / y.Length;
    }
}
