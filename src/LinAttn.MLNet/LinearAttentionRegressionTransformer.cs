using LinAttn.MLNet.Internal;
using LinAttn.MLNet.Scoring;
using LinAttn.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.MLNet;

/// <summary>
/// The fitted linear-attention regressor: appends a Single score column (default "Score") holding ŷ for the prompt in
/// each row. Returned by <see cref="LinearAttentionRegressionTrainer.Fit"/>.
/// </summary>
/// <remarks>
/// <para>Rows are scored in managed double-precision code (the associative S-form for linear attention), never with a
/// native call per row; the model is decoded once. Thread-safe: Transform, cursors and PredictionEngines may run
/// concurrently.</para>
/// <para>Saving: <c>mlContext.Model.Save</c> writes this transformer as a chain of ML.NET's own transformers that
/// carries the weights and options (see docs/mlnet.md). <c>mlContext.Model.Load</c> in any process returns that chain,
/// which scores bit-identically; <see cref="LinearAttentionModel.FromTransformer"/> recovers the typed model from it.</para>
/// </remarks>
public sealed class LinearAttentionRegressionTransformer : ITransformer
{
    private readonly ITransformer _chain;

    internal LinearAttentionRegressionTransformer(LinearAttentionModel model, ITransformer chain, string scoreColumnName)
    {
        Model = model;
        _chain = chain;
        ScoreColumnName = scoreColumnName;
    }

    /// <summary>Builds the savable chain for <paramref name="payload"/>; fitting it reads only the schema of <paramref name="schemaSource"/>.</summary>
    internal static LinearAttentionRegressionTransformer Create(ModelPayload payload, IDataView schemaSource, string scoreColumnName)
    {
        ITransformer chain = ScoringChain.Create(payload.Serialize(), schemaSource, payload.FeatureColumnName, payload.ContextLengthColumnName, scoreColumnName);
        return new LinearAttentionRegressionTransformer(new LinearAttentionModel(payload), chain, scoreColumnName);
    }

    /// <summary>The trained model: architecture, prompt geometry and weights.</summary>
    public LinearAttentionModel Model { get; }

    /// <summary>The features column read by the transformer.</summary>
    public string FeatureColumnName => Model.FeatureColumnName;

    /// <summary>The per-row context-length column, or null.</summary>
    public string? ContextLengthColumnName => Model.ContextLengthColumnName;

    /// <summary>The Single output column holding ŷ.</summary>
    public string ScoreColumnName { get; }

    /// <summary>Always true: the transformer maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the score column. Checks the features column (type and size N(d+1)+d) and the
    /// context-length column.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _chain.GetOutputSchema(inputSchema);
    }

    /// <summary>A row-to-row mapper (used by PredictionEngine).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _chain.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Appends the score column to <paramref name="input"/> (lazily, as every ML.NET transform). The rows are scored
    /// in blocks by the fast engine; the scores are bit-identical to the saved per-row chain's.</summary>
    public IDataView Transform(IDataView input)
    {
        Guard.NotNull(input);
        CheckInput(input.Schema);
        return Model.Scoring.SupportsBatches
            ? new BatchScoringDataView(input, Model.Scoring, FeatureColumnName, ContextLengthColumnName, ScoreColumnName)
            : _chain.Transform(input);
    }

    /// <summary>Saves the chain of ML.NET transformers that carries this model (called by <c>mlContext.Model.Save</c>).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);

    private void CheckInput(DataViewSchema inputSchema)
    {
        Guard.NotNull(inputSchema);
        PromptShape expected = Model.Payload.Shape;
        PromptShape found = SchemaChecks.CheckFeatures(inputSchema, FeatureColumnName, expected.Dimension, null, expected.Layout);
        if (found.ContextLength != expected.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Feature column '{FeatureColumnName}' has {found.FeatureCount} values, but the model was trained on prompts of " +
                $"{expected.FeatureCount} = n(d+1)+d values ({expected.Describe()}).");
        SchemaChecks.CheckContextLength(inputSchema, ContextLengthColumnName);
    }
}
