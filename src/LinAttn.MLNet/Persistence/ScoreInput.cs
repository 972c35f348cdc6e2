using System.ComponentModel;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format (input of the scoring mapping). Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public class ScoreInput
{
    /// <summary>The prompt vector (hidden copy of the user's features column). A VBuffer, so ML.NET reuses its memory
    /// from row to row instead of allocating an array per row.</summary>
    [ColumnName(ScoringContract.FeaturesColumn)]
    public VBuffer<float> Features;

    /// <summary>The serialized model, from the value map.</summary>
    [ColumnName(ScoringContract.ModelColumn)]
    public ReadOnlyMemory<char> Model;
}
