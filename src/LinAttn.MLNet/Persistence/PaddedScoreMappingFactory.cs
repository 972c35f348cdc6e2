using System.ComponentModel;
using Microsoft.ML.Transforms;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format: scores padded prompts, each with its own context length. ML.NET creates it by
/// its contract name when a saved model is loaded. Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ScoringContract.PaddedScoreMapping)]
public sealed class PaddedScoreMappingFactory : CustomMappingFactory<PaddedScoreInput, ScoreOutput>
{
    /// <inheritdoc />
    public override Action<PaddedScoreInput, ScoreOutput> GetMapping()
    {
        var cache = new ScorerCache();
        return (input, output) => output.Score = cache.Get(input.Model).Score(in input.Features, input.ContextLength);
    }
}
