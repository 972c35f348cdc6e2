using System.ComponentModel;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format (output of the model-key mapping). Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModelKeyOutput
{
    /// <summary>The constant key looked up in the value map that holds the serialized model.</summary>
    [ColumnName(ScoringContract.KeyColumn)]
    public string Key = ScoringContract.ModelKey;
}
