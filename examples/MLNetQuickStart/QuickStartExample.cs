using LinAttn.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.Examples.MLNet;

/// <summary>
/// The quick start: an ML.NET pipeline that concatenates the prompt columns, trains a linear-attention in-context
/// regressor, evaluates it on held-out prompts, saves it with <c>mlContext.Model.Save</c>, loads it back and predicts.
/// </summary>
public static class QuickStartExample
{
    /// <summary>Runs the example at full size (20,000 training prompts) and prints to the console.</summary>
    public static void Example() => Run(trainingPrompts: 20_000, testPrompts: 2_000, epochs: 8, Console.Out, "model.zip");

    /// <summary>Runs the example; the smoke test uses tiny sizes.</summary>
    /// <returns>The held-out metrics and whether predictions survived the save/load round trip bit for bit.</returns>
    public static (RegressionMetrics Metrics, bool IdenticalAfterLoad) Run(int trainingPrompts, int testPrompts, int epochs, TextWriter output, string modelPath)
    {
        // A fixed seed makes the run repeatable.
        var mlContext = new MLContext(seed: 0);

        // 1. Data: each row is one prompt (20 labelled examples and a query) with the query's label.
        IDataView train = mlContext.Data.LoadFromEnumerable(SyntheticPrompts.Setting1(trainingPrompts, seed: 1));
        IDataView test = mlContext.Data.LoadFromEnumerable(SyntheticPrompts.Setting1(testPrompts, seed: 2));
        output.WriteLine($"LinAttn.MLNet quick start: {trainingPrompts:N0} training prompts, {testPrompts:N0} test prompts (d = 5, n = 20)");

        // 2. Pipeline: Concatenate gives the [x1..xn, y1..yn, xq] layout; the trainer infers n from d and the vector size.
        var options = new LinearAttentionRegressionTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            Dimension = 5,
            Layout = PromptLayout.Concatenated,
            NumberOfEpochs = epochs,
            Seed = 0,
            ProgressInterval = 200,
            Progress = new ConsoleProgress(output),
        };
        var pipeline = mlContext.Transforms.Concatenate("Features", "ContextX", "ContextY", "QueryX")
            .Append(mlContext.Regression.Trainers.LinearAttention(options));

        // 3. Train, then evaluate on prompts the model has never seen.
        var model = pipeline.Fit(train);
        RegressionMetrics metrics = mlContext.Regression.Evaluate(model.Transform(test));
        output.WriteLine($"Held-out prompts: R² = {metrics.RSquared:F4}, RMSE = {metrics.RootMeanSquaredError:F4}, MAE = {metrics.MeanAbsoluteError:F4}");

        // 4. Save with ML.NET's own call; load in a new MLContext (a new process needs nothing more).
        mlContext.Model.Save(model, train.Schema, modelPath);
        var otherContext = new MLContext();
        ITransformer loaded = otherContext.Model.Load(modelPath, out DataViewSchema _);
        output.WriteLine($"Saved {Path.GetFileName(modelPath)} ({new FileInfo(modelPath).Length / 1024.0:F1} KiB) and loaded it in a new MLContext.");

        // 5. Predict one prompt with a PredictionEngine before and after the round trip.
        Prompt first = SyntheticPrompts.Setting1(1, seed: 2)[0];
        float before = mlContext.Model.CreatePredictionEngine<Prompt, Prediction>(model).Predict(first).Score;
        float after = otherContext.Model.CreatePredictionEngine<Prompt, Prediction>(loaded).Predict(first).Score;
        bool identical = BitConverter.SingleToInt32Bits(before) == BitConverter.SingleToInt32Bits(after);
        output.WriteLine($"First test prompt: label {first.Label:F4}, prediction {before:F4} before saving, {after:F4} after loading (bit-identical: {identical})");

        // 6. The typed model (architecture and weights) is recoverable from the loaded chain.
        LinearAttentionModel typed = LinearAttentionModel.FromTransformer(loaded);
        output.WriteLine($"Recovered model: d = {typed.Dimension}, n = {typed.ContextLength}, L = {typed.Architecture.Layers}, " +
            $"H = {typed.Architecture.Heads}, {typed.Architecture.Parametrization}, {typed.GetParameters().Length} parameters, format v{typed.FormatVersion}");
        return (metrics, identical);
    }

    private sealed class ConsoleProgress(TextWriter output) : IProgress<LinearAttentionTrainingProgress>
    {
        public void Report(LinearAttentionTrainingProgress value)
        {
            var p = value.Progress;
            output.WriteLine($"  {value.Phase.ToString().ToLowerInvariant(),-11} step {p.Step,5}/{p.TotalSteps}  monitor MSE {p.EvaluationLoss:F4}");
        }
    }
}
