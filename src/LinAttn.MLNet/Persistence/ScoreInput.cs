using System.ComponentModel;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format (input of the scoring mapping). Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public class ScoreInput
{
    /// <summary>The prompt vector (hidden copy of the user's features column).</summary>
    [ColumnName(ScoringContract.FeaturesColumn)]
    public float[] Features = Array.Empty<float>();

    /// <summary>The serialized model, from the value map.</summary>
    [ColumnName(ScoringContract.ModelColumn)]
    public ReadOnlyMemory<char> Model;
}
