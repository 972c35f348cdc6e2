using System.ComponentModel;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format (input of the padded scoring mapping). Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedScoreInput : ScoreInput
{
    /// <summary>The row's number of valid context pairs (hidden Single copy of the user's context-length column).</summary>
    [ColumnName(ScoringContract.ContextLengthColumn)]
    public float ContextLength;
}
