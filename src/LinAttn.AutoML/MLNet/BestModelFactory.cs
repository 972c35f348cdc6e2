using LinAttn.MLNet;
using LinAttn.MLNet.Persistence;
using LinAttn.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.AutoML;

/// <summary>Builds the ML.NET transformer of a trained parameter vector: the same savable facade the ML.NET trainer
/// returns (<see cref="LinearAttentionRegressionTransformer"/>), so it saves and loads with <c>mlContext.Model</c>.</summary>
internal static class BestModelFactory
{
    public static LinearAttentionRegressionTransformer Create(RunSpec task, double[] parameters, ModelExport export)
    {
        var payload = new ModelPayload(task.Model, task.Task.ContextLength, export.Layout, export.FeatureColumnName, export.ContextLengthColumnName, parameters);
        IDataView schema = export.SchemaSource ?? EmptyPrompts(export.FeatureColumnName, task.Task.ContextLength * (task.Model.Dimension + 1) + task.Model.Dimension);
        return LinearAttentionRegressionTransformer.Create(payload, schema, export.ScoreColumnName);
    }

    private static IDataView EmptyPrompts(string featureColumn, int size)
    {
        var ml = new MLContext(seed: 0);
        SchemaDefinition definition = SchemaDefinition.Create(typeof(PromptRow));
        definition[nameof(PromptRow.Features)].ColumnName = featureColumn;
        definition[nameof(PromptRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable(Array.Empty<PromptRow>(), definition);
    }

    private sealed class PromptRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }
}
