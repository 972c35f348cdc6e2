using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Persistence;

/// <summary>
/// Builds the savable form of a fitted model: a chain of ML.NET's own transformers that carries the serialized model
/// (ENVIRONMENT.md §3, verified design):
/// <code>
/// CopyColumns(features → hidden) [→ ConvertType(context length → hidden Single)]
///   → CustomMapping(constant key) → MapValue(key → serialized model) → CustomMapping(score) → CopyColumns(score) → DropColumns(hidden)
/// </code>
/// The value map stores its table inside the zip, so the weights travel with the model; on load ML.NET finds the
/// mappings by contract name in this assembly. No registration call is needed.
/// </summary>
internal static class ScoringChain
{
    /// <summary>The estimator chain (unfitted). Its <c>GetOutputSchema</c> gives the estimator's output shape.</summary>
    public static IEstimator<ITransformer> CreateEstimator(MLContext mlContext, string payload, string featureColumnName,
        string? contextLengthColumnName, string scoreColumnName)
    {
        IEstimator<ITransformer> chain = mlContext.Transforms.CopyColumns(ScoringContract.FeaturesColumn, featureColumnName);
        if (contextLengthColumnName is not null)
        {
            chain = chain.Append(mlContext.Transforms.Conversion.ConvertType(ScoringContract.ContextLengthColumn, contextLengthColumnName, DataKind.Single));
        }
        chain = chain
            .Append(mlContext.Transforms.CustomMapping(new ModelKeyMappingFactory().GetMapping(), ScoringContract.ModelKeyMapping))
            .Append(mlContext.Transforms.Conversion.MapValue(ScoringContract.ModelColumn,
                new[] { new KeyValuePair<string, string>(ScoringContract.ModelKey, payload) }, ScoringContract.KeyColumn));
        chain = contextLengthColumnName is null
            ? chain.Append(mlContext.Transforms.CustomMapping(new ScoreMappingFactory().GetMapping(), ScoringContract.ScoreMapping))
            : chain.Append(mlContext.Transforms.CustomMapping(new PaddedScoreMappingFactory().GetMapping(), ScoringContract.PaddedScoreMapping));
        return chain
            .Append(mlContext.Transforms.CopyColumns(scoreColumnName, ScoringContract.ScoreColumn))
            .Append(mlContext.Transforms.DropColumns(
                ScoringContract.HiddenColumns.Where(c => contextLengthColumnName is not null || c != ScoringContract.ContextLengthColumn).ToArray()));
    }

    /// <summary>The fitted chain for <paramref name="payload"/>. Fitting reads only the schema of <paramref name="schemaSource"/>.</summary>
    public static ITransformer Create(string payload, IDataView schemaSource, string featureColumnName,
        string? contextLengthColumnName, string scoreColumnName)
    {
        var mlContext = new MLContext(seed: 0);
        return CreateEstimator(mlContext, payload, featureColumnName, contextLengthColumnName, scoreColumnName).Fit(schemaSource);
    }
}
