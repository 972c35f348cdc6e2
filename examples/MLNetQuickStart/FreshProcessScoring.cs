using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.Examples.MLNet;

/// <summary>
/// Scores prompts with a saved model in a process that never touched LinAttn before <c>mlContext.Model.Load</c> and makes
/// no registration call: what a separate scoring service would do. Used by the save/load test in a fresh process.
/// The prompts file holds int32 count, int32 size, then count × size float32 values (little-endian).
/// </summary>
public static class FreshProcessScoring
{
    /// <summary>The scoring input: one interleaved or concatenated prompt vector.</summary>
    public sealed class Row
    {
        /// <summary>The prompt vector.</summary>
        public float[] Features = Array.Empty<float>();
    }

    /// <summary>Prints whether LinAttn.MLNet was loaded before Model.Load, then each score as its float32 bit pattern
    /// from batch Transform and from a PredictionEngine.</summary>
    public static int Run(string modelPath, string promptsPath, TextWriter output)
    {
        bool loadedBefore = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "LinAttn.MLNet");
        output.WriteLine($"LinAttn.MLNet loaded before Model.Load: {loadedBefore}");
        var mlContext = new MLContext();
        ITransformer model = mlContext.Model.Load(modelPath, out DataViewSchema _);

        using var reader = new BinaryReader(File.OpenRead(promptsPath));
        int count = reader.ReadInt32(), size = reader.ReadInt32();
        var rows = new Row[count];
        for (int r = 0; r < count; r++)
        {
            rows[r] = new Row { Features = new float[size] };
            for (int i = 0; i < size; i++) rows[r].Features[i] = reader.ReadSingle();
        }
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        IDataView data = mlContext.Data.LoadFromEnumerable(rows, definition);
        float[] batch = model.Transform(data).GetColumn<float>("Score").ToArray();
        var engine = mlContext.Model.CreatePredictionEngine<Row, Prediction>(model, inputSchemaDefinition: definition);
        for (int r = 0; r < count; r++)
        {
            float single = engine.Predict(rows[r]).Score;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{BitConverter.SingleToInt32Bits(batch[r]):X8} {BitConverter.SingleToInt32Bits(single):X8}"));
        }
        return 0;
    }
}
