using System.ComponentModel;
using Microsoft.ML.Transforms;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format: emits the constant key of the value map holding the model. ML.NET creates it
/// by its contract name when a saved model is loaded. Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ScoringContract.ModelKeyMapping)]
public sealed class ModelKeyMappingFactory : CustomMappingFactory<ModelKeyInput, ModelKeyOutput>
{
    /// <inheritdoc />
    public override Action<ModelKeyInput, ModelKeyOutput> GetMapping() => static (_, output) => output.Key = ScoringContract.ModelKey;
}
