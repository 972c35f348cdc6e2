using LinAttn.MLNet.Internal;
using LinAttn.MLNet.Prompts;
using Microsoft.ML;
using Defaults = LinAttn.MLNet.LinearAttentionRegressionTrainer.Options.Defaults;

namespace LinAttn.MLNet;

/// <summary>ML.NET catalog extensions of LinAttn: the linear-attention regression trainer and the grouped prompt builder.</summary>
public static class LinearAttentionCatalog
{
    /// <summary>
    /// Creates a <see cref="LinearAttentionRegressionTrainer"/>: a linear-attention in-context regressor trained on one
    /// prompt per row (features N(d+1)+d values, label = the query's target).
    /// </summary>
    /// <param name="catalog">The regression trainers catalog (<c>mlContext.Regression.Trainers</c>).</param>
    /// <param name="labelColumnName">The Single label column: the query's target.</param>
    /// <param name="featureColumnName">The known-size Vector&lt;Single&gt; prompt column.</param>
    /// <param name="dimension">d, the covariate dimension (set this or <paramref name="contextLength"/>).</param>
    /// <param name="contextLength">N, the (maximum) number of context pairs (set this or <paramref name="dimension"/>).</param>
    /// <param name="layout">The layout of the prompt vector.</param>
    /// <param name="contextLengthColumnName">Optional numeric column with each row's number of valid pairs.</param>
    /// <param name="numberOfLayers">Layers L ≥ 1.</param>
    /// <param name="learningRate">Adam learning rate η &gt; 0.</param>
    /// <param name="batchSize">Prompts per step ≥ 1.</param>
    /// <param name="numberOfEpochs">Passes over the data ≥ 1.</param>
    /// <param name="pretrainingSteps">Steps of synthetic pre-training on Gaussian linear tasks with the data's d and N (0: none).</param>
    /// <param name="seed">Seed of the initialisation and of the pre-training prompts.</param>
    /// <example><code>
    /// var pipeline = mlContext.Transforms.Concatenate("Features", "ContextX", "ContextY", "QueryX")
    ///     .Append(mlContext.Regression.Trainers.LinearAttention(labelColumnName: "Label", featureColumnName: "Features",
    ///         dimension: 5, layout: PromptLayout.Concatenated));
    /// </code></example>
    public static LinearAttentionRegressionTrainer LinearAttention(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = Defaults.LabelColumnName,
        string featureColumnName = Defaults.FeatureColumnName,
        int? dimension = null,
        int? contextLength = null,
        PromptLayout layout = PromptLayout.Interleaved,
        string? contextLengthColumnName = null,
        int numberOfLayers = Defaults.NumberOfLayers,
        double learningRate = Defaults.LearningRate,
        int batchSize = Defaults.BatchSize,
        int numberOfEpochs = Defaults.NumberOfEpochs,
        int pretrainingSteps = Defaults.PretrainingSteps,
        int seed = 0)
    {
        Guard.NotNull(catalog);
        return new LinearAttentionRegressionTrainer(new LinearAttentionRegressionTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Dimension = dimension,
            ContextLength = contextLength,
            Layout = layout,
            ContextLengthColumnName = contextLengthColumnName,
            NumberOfLayers = numberOfLayers,
            LearningRate = learningRate,
            BatchSize = batchSize,
            NumberOfEpochs = numberOfEpochs,
            PretrainingSteps = pretrainingSteps,
            Seed = seed,
        });
    }

    /// <summary>Creates a <see cref="LinearAttentionRegressionTrainer"/> with every option (architecture, optimizer,
    /// schedule, steps, pre-training, device, threads, progress, cancellation).</summary>
    /// <param name="catalog">The regression trainers catalog (<c>mlContext.Regression.Trainers</c>).</param>
    /// <param name="options">The options; validated here (<see cref="ArgumentOutOfRangeException"/> names the option).</param>
    public static LinearAttentionRegressionTrainer LinearAttention(this RegressionCatalog.RegressionTrainers catalog,
        LinearAttentionRegressionTrainer.Options options)
    {
        Guard.NotNull(catalog);
        return new LinearAttentionRegressionTrainer(Guard.NotNull(options));
    }

    /// <summary>
    /// Turns ordinary grouped tabular data into in-context prompts: for every row of <paramref name="data"/> (the query),
    /// the context is up to k other rows of the same group, drawn without replacement, deterministically from the seed
    /// and the row's position. See <see cref="GroupedPromptOptions"/> for the output columns.
    /// </summary>
    /// <param name="catalog">The data operations catalog (<c>mlContext.Data</c>).</param>
    /// <param name="data">Rows to turn into prompts (each is a query).</param>
    /// <param name="options">Columns, k, seed and output names.</param>
    /// <param name="contextData">Where context rows come from (same group); null: from <paramref name="data"/> itself,
    /// never the query row. Pass the training rows to build test prompts whose contexts are training rows.</param>
    /// <returns>An in-memory IDataView with one prompt per query row that has at least one context row.</returns>
    public static IDataView BuildInContextPrompts(this DataOperationsCatalog catalog, IDataView data, GroupedPromptOptions options,
        IDataView? contextData = null)
    {
        Guard.NotNull(catalog);
        return GroupedPromptBuilder.Build(Guard.NotNull(data), Guard.NotNull(options), contextData);
    }
}
