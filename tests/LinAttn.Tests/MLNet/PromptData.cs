using LinAttn.MLNet;
using LinAttn.Random;
using LinAttn.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.Tests.MLNet;

/// <summary>One prompt row as ML.NET sees it: the prompt vector, the query's label and the number of valid pairs.</summary>
public sealed class PromptRow
{
    public float[] Features = Array.Empty<float>();
    public float Label;
    public float ContextLength;
}

/// <summary>PredictionEngine input without a label (scoring only needs the prompt).</summary>
public sealed class PromptInput
{
    public float[] Features = Array.Empty<float>();
    public float ContextLength;
}

/// <summary>PredictionEngine output.</summary>
public sealed class ScoreRow
{
    public float Score;
}

/// <summary>Synthetic prompt data for the ML.NET tests, drawn with the core sampler (Setting 1 family by default).</summary>
public static class PromptData
{
    /// <summary>Prompts of <paramref name="task"/> in <paramref name="layout"/>, one per row.</summary>
    public static PromptRow[] Rows(int count, ulong seed, TaskOptions? task = null, PromptLayout layout = PromptLayout.Interleaved)
    {
        task ??= new TaskOptions { Dimension = 5, ContextLength = 20 };
        PromptBatch batch = new PromptSampler(task).Sample(count, seed, StreamPurpose.Training, 0, maxThreads: 1);
        return ToRows(batch, layout);
    }

    /// <summary>Converts a batch of tokens into prompt vectors in <paramref name="layout"/>.</summary>
    public static PromptRow[] ToRows(PromptBatch batch, PromptLayout layout)
    {
        int d = batch.Dimension, n = batch.ContextLength, k = d + 1;
        var rows = new PromptRow[batch.BatchSize];
        for (int b = 0; b < batch.BatchSize; b++)
        {
            var features = new float[n * k + d];
            for (int i = 0; i < n; i++)
            {
                int x = layout == PromptLayout.Interleaved ? i * k : i * d;
                int y = layout == PromptLayout.Interleaved ? i * k + d : n * d + i;
                for (int j = 0; j < d; j++) features[x + j] = batch.Tokens[b * batch.PromptStride + i * k + j];
                features[y] = batch.Tokens[b * batch.PromptStride + i * k + d];
            }
            for (int j = 0; j < d; j++) features[n * k + j] = batch.Tokens[b * batch.PromptStride + n * k + j];
            rows[b] = new PromptRow { Features = features, Label = batch.Targets[b], ContextLength = n };
        }
        return rows;
    }

    /// <summary>An IDataView with a known-size Features vector (as Concatenate or a text loader would give).</summary>
    public static IDataView ToDataView(MLContext mlContext, IEnumerable<PromptRow> rows, int featureCount)
    {
        var definition = SchemaDefinition.Create(typeof(PromptRow));
        definition[nameof(PromptRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return mlContext.Data.LoadFromEnumerable(rows, definition);
    }

    /// <summary>A schema definition for <see cref="PromptInput"/> with the vector size fixed.</summary>
    public static SchemaDefinition InputDefinition(int featureCount)
    {
        var definition = SchemaDefinition.Create(typeof(PromptInput));
        definition[nameof(PromptInput.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return definition;
    }

    /// <summary>Random parameters for scorer tests.</summary>
    public static double[] RandomParameters(LinAttn.Model.ModelOptions options, ulong seed, double std) =>
        TestKit.Tensors.RandomParameters(options, seed, std);

    /// <summary>ML.NET's internal <c>SchemaShape.Create(DataViewSchema)</c> (what pipelines call before Fit), by reflection:
    /// there is no public way to build a SchemaShape from a schema.</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema)
    {
        var create = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic
            | System.Reflection.BindingFlags.Public, new[] { typeof(DataViewSchema) })!;
        return (SchemaShape)create.Invoke(null, new object[] { schema })!;
    }

    /// <summary>Reads the score column.</summary>
    public static float[] Scores(IDataView scored, string column = "Score") => scored.GetColumn<float>(column).ToArray();
}
