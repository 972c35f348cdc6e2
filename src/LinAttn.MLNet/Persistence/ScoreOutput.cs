using System.ComponentModel;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format (output of the scoring mappings). Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ScoreOutput
{
    /// <summary>The prediction ŷ.</summary>
    [ColumnName(ScoringContract.ScoreColumn)]
    public float Score;
}
