using LinAttn.Benchmarks.Harness;
using LinAttn.MLNet;
using LinAttn.MLNet.Persistence;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.Benchmarks;

/// <summary>
/// ML.NET scoring speed for d = 5, n = 20, L = 3 (Restricted, H = 1; linear attention unless another score activation
/// is asked for): batch Transform of many rows (rows/s, the score
/// column read by one cursor, as Evaluate does) through the fitted transformer and through the chain returned by
/// mlContext.Model.Load; PredictionEngine µs/call; and the managed scorer alone. Medians over 7 repeats.
/// Targets (issue 3): ≥ 200,000 rows/s and ≤ 10 µs/call.
/// </summary>
internal static class MLNetScoringBenchmark
{
    private const int Dimension = 5, ContextLength = 20, FeatureCount = ContextLength * (Dimension + 1) + Dimension;

    public sealed class Row
    {
        public float[] Features = Array.Empty<float>();
    }

    public sealed class Output
    {
        public float Score { get; set; }
    }

    public static void Run(int rowCount, ScoreActivation activation = ScoreActivation.Identity)
    {
        var mlContext = new MLContext(seed: 0);
        var options = new ModelOptions { Dimension = Dimension, Layers = 3, Activation = activation };
        var payload = new ModelPayload(options, ContextLength, PromptLayout.Interleaved, "Features", null, RandomParameters(options));
        Row[] rows = Prompts(rowCount);
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureCount);
        IDataView data = mlContext.Data.LoadFromEnumerable(rows, definition);

        LinearAttentionRegressionTransformer fitted = LinearAttentionRegressionTransformer.Create(payload, data, "Score");
        using var stream = new MemoryStream();
        mlContext.Model.Save(fitted, data.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = new MLContext(seed: 0).Model.Load(stream, out _);

        Console.WriteLine($"ML.NET scoring, d = {Dimension}, n = {ContextLength}, L = 3, Restricted, H = 1, {activation} scores; {rowCount:N0} rows; {Environment.ProcessorCount} cores");
        Console.WriteLine($"load average before: {LoadAverage()}");
        Console.WriteLine($"{"what",-52} {"wall median (min, max)",40} {"throughput",16} {"CPU time/row",14}");
        ReportTransform("Transform, fitted transformer", () => Consume(fitted.Transform(data)), rowCount);
        ReportTransform("Transform, loaded chain (Model.Load)", () => Consume(loaded.Transform(data)), rowCount);
        ITransformer recovered = LinearAttentionModel.FromTransformer(loaded).ToTransformer(data);
        ReportTransform("Transform, loaded → FromTransformer(..).ToTransformer", () => Consume(recovered.Transform(data)), rowCount);
        ReportTransform("Transform + GetColumn<float>(Score), loaded", () => loaded.Transform(data).GetColumn<float>("Score").Count(), rowCount);

        var engine = mlContext.Model.CreatePredictionEngine<Row, Output>(loaded, inputSchemaDefinition: definition);
        int next = 0;
        Action predict = () => engine.Predict(rows[next++ % rows.Length]);
        Report("PredictionEngine.Predict, loaded", Timing.Measure(predict, Timing.Calibrate(predict)), 1);

        var model = LinearAttentionModel.FromTransformer(loaded);
        float sink = 0;
        Action managed = () => sink += model.Predict(rows[next++ % rows.Length].Features);
        Report("managed scorer alone (LinearAttentionModel.Predict)", Timing.Measure(managed, Timing.Calibrate(managed)), 1);
        GC.KeepAlive(sink);
        Console.WriteLine($"load average after: {LoadAverage()}");
    }

    private static double[] RandomParameters(ModelOptions options) => LinearTransformer.InitialParameters(options with { InitStd = 0.2 }, 1);

    private static Row[] Prompts(int count)
    {
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = Dimension, ContextLength = ContextLength }).Sample(count, 0, StreamPurpose.Evaluation, 0);
        var rows = new Row[count];
        for (int b = 0; b < count; b++)
        {
            // Tokens [n + 1, d + 1] with the query label 0 → interleaved [x1, y1, ..., xn, yn, xq]: drop the last entry.
            rows[b] = new Row { Features = batch.Tokens.AsSpan(b * batch.PromptStride, FeatureCount).ToArray() };
        }
        return rows;
    }

    private static void Consume(IDataView scored)
    {
        using DataViewRowCursor cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] });
        ValueGetter<float> score = cursor.GetGetter<float>(scored.Schema["Score"]);
        float value = 0, sum = 0;
        while (cursor.MoveNext())
        {
            score(ref value);
            sum += value;
        }
        if (float.IsNaN(sum)) Console.Write("");
    }

    private static void Report(string what, Measurement m, int rowsPerCall)
    {
        string throughput = rowsPerCall > 1 ? $"{rowsPerCall / m.Median:N0} rows/s" : $"{m.Median * 1e6:F2} µs/call";
        Console.WriteLine($"{what,-52} {m.Format(),40} {throughput,16}");
    }

    // Wall-clock medians (Timing) plus the process CPU time per row over the same repeats: on a shared machine the
    // CPU time shows the cost of the code itself when other processes stretch the wall clock.
    private static void ReportTransform(string what, Action transform, int rows)
    {
        var process = System.Diagnostics.Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan before = process.TotalProcessorTime;
        int calls = 0;
        Measurement m = Timing.Measure(() => { transform(); calls++; }, 1);
        process.Refresh();
        double cpuPerRow = (process.TotalProcessorTime - before).TotalSeconds / calls / rows;
        Console.WriteLine($"{what,-52} {m.Format(),40} {$"{rows / m.Median:N0} rows/s",16} {$"{cpuPerRow * 1e6:F2} µs",14}");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
