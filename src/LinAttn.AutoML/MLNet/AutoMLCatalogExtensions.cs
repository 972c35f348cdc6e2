using Microsoft.ML;

namespace LinAttn.AutoML;

/// <summary>ML.NET catalog extension of LinAttn.AutoML.</summary>
public static class AutoMLCatalogExtensions
{
    /// <summary>The linear-attention AutoML catalog: <c>mlContext.LinearAttentionAutoML().CreateExperiment(...)</c>.</summary>
    public static LinearAttentionAutoMLCatalog LinearAttentionAutoML(this MLContext mlContext)
        => new(mlContext ?? throw new ArgumentNullException(nameof(mlContext)));
}
