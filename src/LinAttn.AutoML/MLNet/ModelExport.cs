using LinAttn.MLNet;
using Microsoft.ML;

namespace LinAttn.AutoML;

/// <summary>How the best model becomes an ML.NET transformer: the prompt columns and layout it scores, and an IDataView
/// whose schema the savable scoring chain is built against.</summary>
internal sealed record ModelExport(string FeatureColumnName, string? ContextLengthColumnName, PromptLayout Layout, string ScoreColumnName, IDataView? SchemaSource)
{
    public static ModelExport Default { get; } = new(LinearAttentionRegressionTrainer.Options.Defaults.FeatureColumnName, null, PromptLayout.Interleaved,
        LinearAttentionRegressionTrainer.Options.Defaults.ScoreColumnName, null);
}
