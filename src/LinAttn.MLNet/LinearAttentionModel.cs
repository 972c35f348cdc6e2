using LinAttn.MLNet.Internal;
using LinAttn.MLNet.Persistence;
using LinAttn.Model;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using static TorchSharp.torch;

namespace LinAttn.MLNet;

/// <summary>
/// A trained linear-attention regressor as typed values: the architecture, the prompt geometry and the parameters.
/// Recover it from any fitted or loaded ML.NET model with <see cref="FromTransformer"/>; turn it back into a TorchSharp
/// module (weights as tensors) with <see cref="CreateModule"/>.
/// </summary>
public sealed class LinearAttentionModel
{
    private readonly double[] _parameters;

    internal LinearAttentionModel(ModelPayload payload, int formatVersion = ModelPayload.CurrentFormatVersion)
    {
        Payload = payload;
        _parameters = payload.Parameters;
        FormatVersion = formatVersion;
        Scoring = new ScoringModel(payload);
    }

    internal ModelPayload Payload { get; }

    internal ScoringModel Scoring { get; }

    /// <summary>The architecture: d, L, H, parametrisation, activation, init std, training precision.</summary>
    public ModelOptions Architecture => Payload.Model;

    /// <summary>d, the covariate dimension.</summary>
    public int Dimension => Payload.Model.Dimension;

    /// <summary>N, the (maximum) number of context pairs per prompt.</summary>
    public int ContextLength => Payload.ContextLength;

    /// <summary>The layout of the features vector.</summary>
    public PromptLayout Layout => Payload.Layout;

    /// <summary>Length N(d+1)+d of the features vector.</summary>
    public int FeatureCount => Payload.Shape.FeatureCount;

    /// <summary>The features column the model was trained on.</summary>
    public string FeatureColumnName => Payload.FeatureColumnName;

    /// <summary>The per-row context-length column, or null when every prompt has N pairs.</summary>
    public string? ContextLengthColumnName => Payload.ContextLengthColumnName;

    /// <summary>The saved-model format version this model was read with (or will be written with).</summary>
    public int FormatVersion { get; }

    /// <summary>A copy of the parameters, layout [L, H, m, k, k] row-major (see <see cref="Parametrization"/>).</summary>
    public double[] GetParameters() => (double[])_parameters.Clone();

    /// <summary>A TorchSharp <see cref="LinearTransformer"/> holding these weights (for analysis or further training).
    /// The caller disposes it.</summary>
    /// <param name="device">Device of the parameters; CPU when null.</param>
    public LinearTransformer CreateModule(Device? device = null) => new(Architecture, _parameters, device);

    /// <summary>Scores one prompt vector in managed code, exactly as the ML.NET transformer does.</summary>
    /// <param name="features">N(d+1)+d values in <see cref="Layout"/>.</param>
    /// <param name="contextLength">The number of valid context pairs n_b in [1, N]; null means N.</param>
    public float Predict(ReadOnlySpan<float> features, int? contextLength = null) => Scoring.Score(features, contextLength);

    /// <summary>
    /// The fitted transformer for this model (what the trainer's <c>Fit</c> returns), e.g. after
    /// <c>mlContext.Model.Load</c>: its <c>Transform</c> scores blocks of rows with the fast engine (several times faster
    /// than the loaded per-row chain, with identical scores) and it saves like the original.
    /// </summary>
    /// <param name="schemaSource">Any data with the model's input columns; only its schema is read.</param>
    /// <param name="scoreColumnName">The output column.</param>
    public LinearAttentionRegressionTransformer ToTransformer(IDataView schemaSource, string scoreColumnName = "Score")
    {
        Guard.NotNull(schemaSource);
        return LinearAttentionRegressionTransformer.Create(Payload, schemaSource, scoreColumnName);
    }

    /// <summary>
    /// Recovers the typed model from a fitted <see cref="LinearAttentionRegressionTransformer"/>, a chain containing one,
    /// or a model returned by <c>mlContext.Model.Load</c> (a chain of ML.NET's own transformers). With several linear
    /// attention models in one chain, returns the first.
    /// </summary>
    /// <exception cref="ArgumentException">No linear-attention model is inside <paramref name="transformer"/>.</exception>
    /// <exception cref="InvalidDataException">The stored model is corrupt or was written by a newer format version.</exception>
    public static LinearAttentionModel FromTransformer(ITransformer transformer)
    {
        Guard.NotNull(transformer);
        return Find(transformer)
            ?? throw new ArgumentException(
                $"No LinAttn linear-attention model was found in the {transformer.GetType().Name}: it holds no LinearAttentionRegressionTransformer " +
                $"and no value map producing the column '{ScoringContract.ModelColumn}'.", nameof(transformer));
    }

    private static LinearAttentionModel? Find(ITransformer transformer)
    {
        switch (transformer)
        {
            case LinearAttentionRegressionTransformer facade:
                return facade.Model;
            case ValueMappingTransformer valueMap:
                return TryRead(valueMap);
            case IEnumerable<ITransformer> chain:
                foreach (ITransformer inner in chain)
                {
                    if (Find(inner) is { } found) return found;
                }
                return null;
            default:
                return null;
        }
    }

    // Runs the value map on one row holding the constant key and parses the model it returns.
    private static LinearAttentionModel? TryRead(ValueMappingTransformer valueMap)
    {
        IDataView keyRow = new MLContext(seed: 0).Data.LoadFromEnumerable(new[] { new ModelKeyOutput() });
        DataViewSchema output;
        try
        {
            output = valueMap.GetOutputSchema(keyRow.Schema);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;    // a value map over other columns
        }
        if (output.GetColumnOrNull(ScoringContract.ModelColumn) is null) return null;
        string text = valueMap.Transform(keyRow).GetColumn<string>(ScoringContract.ModelColumn).First();
        int version = ReadVersion(text);
        return new LinearAttentionModel(ModelPayload.Parse(text), version);
    }

    private static int ReadVersion(string text)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(text)?["formatVersion"]?.GetValue<int>() ?? 0;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return 0;   // Parse reports the problem
        }
    }
}
