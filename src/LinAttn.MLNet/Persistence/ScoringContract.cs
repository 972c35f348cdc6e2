namespace LinAttn.MLNet.Persistence;

/// <summary>
/// The names that make up the saved-model format: CustomMapping contract names and hidden column names. They are a
/// file format: never change one in place. A change that old readers cannot handle gets new names (".v2") and a new
/// <see cref="ModelPayload.CurrentFormatVersion"/>; readers keep the factories of every version they support.
/// </summary>
internal static class ScoringContract
{
    /// <summary>Contract of the mapping that emits the constant model key.</summary>
    public const string ModelKeyMapping = "LinAttn.MLNet.ModelKey.v1";

    /// <summary>Contract of the scoring mapping for full-length prompts.</summary>
    public const string ScoreMapping = "LinAttn.MLNet.Score.v1";

    /// <summary>Contract of the scoring mapping that also reads a per-row context length.</summary>
    public const string PaddedScoreMapping = "LinAttn.MLNet.PaddedScore.v1";

    /// <summary>Hidden copy of the user's features column.</summary>
    public const string FeaturesColumn = "LinAttn.v1.Features";

    /// <summary>Hidden Single copy of the user's context-length column.</summary>
    public const string ContextLengthColumn = "LinAttn.v1.ContextLength";

    /// <summary>Hidden constant key column, looked up in the value map.</summary>
    public const string KeyColumn = "LinAttn.v1.ModelKey";

    /// <summary>Hidden column carrying the serialized model (weights and options) from the value map.</summary>
    public const string ModelColumn = "LinAttn.v1.Model";

    /// <summary>Hidden score column, copied to the user's score column.</summary>
    public const string ScoreColumn = "LinAttn.v1.Score";

    /// <summary>The one key of the value map.</summary>
    public const string ModelKey = "linattn-model";

    /// <summary>Every hidden column, dropped at the end of the chain.</summary>
    public static readonly string[] HiddenColumns = { FeaturesColumn, ContextLengthColumn, KeyColumn, ModelColumn, ScoreColumn };
}
