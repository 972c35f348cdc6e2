using System.ComponentModel;
using Microsoft.ML.Transforms;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format: scores full-length prompts with the model carried in the hidden model column,
/// decoded once per model and scored in managed code. ML.NET creates it by its contract name when a saved model is
/// loaded. Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ScoringContract.ScoreMapping)]
public sealed class ScoreMappingFactory : CustomMappingFactory<ScoreInput, ScoreOutput>
{
    /// <inheritdoc />
    public override Action<ScoreInput, ScoreOutput> GetMapping()
    {
        var cache = new ScorerCache();
        return (input, output) => output.Score = cache.Get(input.Model).Score(in input.Features, null);
    }
}
