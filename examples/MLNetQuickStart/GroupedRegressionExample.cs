using LinAttn.MLNet;
using LinAttn.MLNet.Prompts;
using LinAttn.Random;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.Examples.MLNet;

/// <summary>
/// In-context regression on ordinary grouped data. Every sensor responds linearly to its inputs, but with its own
/// weights, so one global regression cannot predict well. Each reading becomes a prompt whose context is up to 10
/// other readings of the same sensor; the linear-attention model (pre-trained on synthetic linear tasks, then
/// fine-tuned) predicts from the context. Train and test use different sensors.
/// </summary>
public static class GroupedRegressionExample
{
    /// <summary>Runs the example at full size (500 sensors) and prints to the console.</summary>
    public static void Example() => Run(sensors: 500, pretrainingSteps: 1000, epochs: 10, Console.Out);

    /// <summary>Runs the example; the smoke test uses tiny sizes.</summary>
    /// <returns>R² of the in-context model and of a global linear baseline, on held-out sensors.</returns>
    public static (double InContextRSquared, double BaselineRSquared) Run(int sensors, int pretrainingSteps, int epochs, TextWriter output)
    {
        var mlContext = new MLContext(seed: 0);

        // 1. A grouped table: 5 to 25 readings per sensor, y = w_sensorᵀ x + noise.
        IDataView readings = mlContext.Data.LoadFromEnumerable(MakeReadings(sensors, seed: 3));
        var split = mlContext.Data.TrainTestSplit(readings, testFraction: 0.25, samplingKeyColumnName: nameof(SensorReading.Sensor), seed: 0);
        output.WriteLine($"Grouped regression: {sensors} sensors, 3 inputs, train/test split by sensor");

        // 2. Prompts: each reading is a query; its context is up to k = 10 other readings of the same sensor.
        var promptOptions = new GroupedPromptOptions
        {
            GroupColumnName = nameof(SensorReading.Sensor),
            FeatureColumnNames = new[] { nameof(SensorReading.Temperature), nameof(SensorReading.Humidity), nameof(SensorReading.Load) },
            LabelColumnName = nameof(SensorReading.Output),
            ContextSize = 10,
            Seed = 0,
        };
        IDataView trainPrompts = mlContext.Data.BuildInContextPrompts(split.TrainSet, promptOptions);
        IDataView testPrompts = mlContext.Data.BuildInContextPrompts(split.TestSet, promptOptions);
        output.WriteLine($"Prompts: {trainPrompts.GetRowCount():N0} for training, {testPrompts.GetRowCount():N0} for testing (k = 10, padded when a sensor has fewer)");

        // 3. Pre-train on synthetic linear tasks with d = 3, n = 10, then train on the sensors' prompts.
        var trainer = mlContext.Regression.Trainers.LinearAttention(new LinearAttentionRegressionTrainer.Options
        {
            Dimension = 3,
            ContextLengthColumnName = promptOptions.OutputContextLengthColumnName,
            PretrainingSteps = pretrainingSteps,
            NumberOfEpochs = epochs,
            Seed = 0,
        });
        LinearAttentionRegressionTransformer model = trainer.Fit(trainPrompts);
        double inContext = mlContext.Regression.Evaluate(model.Transform(testPrompts)).RSquared;

        // 4. Baseline: one linear model for all sensors (what a plain regression on the table can do).
        var baseline = mlContext.Transforms.Concatenate("Features", promptOptions.FeatureColumnNames)
            .Append(mlContext.Regression.Trainers.Sdca(labelColumnName: nameof(SensorReading.Output), featureColumnName: "Features"))
            .Fit(split.TrainSet);
        double global = mlContext.Regression.Evaluate(baseline.Transform(split.TestSet), labelColumnName: nameof(SensorReading.Output)).RSquared;

        output.WriteLine($"Held-out sensors: R² = {inContext:F4} in context (linear attention), {global:F4} for one global linear model (SDCA)");
        return (inContext, global);
    }

    /// <summary>The synthetic table: deterministic in <paramref name="seed"/>.</summary>
    public static List<SensorReading> MakeReadings(int sensors, ulong seed)
    {
        var rows = new List<SensorReading>();
        Span<double> w = stackalloc double[3];
        Span<double> x = stackalloc double[3];
        for (int s = 0; s < sensors; s++)
        {
            var random = CounterRandom.For(seed, StreamPurpose.Training, (ulong)s);
            random.FillGaussian(w);
            int count = 5 + (int)(random.NextDouble() * 21);
            for (int r = 0; r < count; r++)
            {
                random.FillGaussian(x);
                double y = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + 0.1 * random.NextGaussian();
                rows.Add(new SensorReading
                {
                    Sensor = $"sensor-{s:D4}", Temperature = (float)x[0], Humidity = (float)x[1], Load = (float)x[2], Output = (float)y,
                });
            }
        }
        return rows;
    }
}
