using System.Globalization;
using LinAttn.MLNet.Internal;
using LinAttn.MLNet.Scoring;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Persistence;

/// <summary>A decoded payload with its managed scorer: what the scoring mapping uses per row. Immutable, thread-safe.</summary>
internal sealed class ScoringModel
{
    private readonly IPromptScorer _scorer;

    public ScoringModel(ModelPayload payload)
    {
        Payload = payload;
        Shape = payload.Shape;
        _scorer = PromptScorers.Create(payload.Model, payload.Parameters, payload.ContextLength);
    }

    public ModelPayload Payload { get; }

    public PromptShape Shape { get; }

    /// <summary>Scores one prompt held in an ML.NET vector (sparse vectors are densified).</summary>
    public float Score(in VBuffer<float> features, float? contextLength)
    {
        if (features.IsDense) return Score(features.GetValues(), contextLength);
        var dense = new float[features.Length];
        features.CopyTo(dense);
        return Score(dense, contextLength);
    }

    /// <summary>Scores one prompt vector; <paramref name="contextLength"/> null means all N pairs are valid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The vector has the wrong size or the context length is not an integer in [1, N].</exception>
    public float Score(ReadOnlySpan<float> features, float? contextLength)
    {
        int tokenCount = (Shape.ContextLength + 1) * (Shape.Dimension + 1);
        Span<float> tokens = tokenCount <= 1024 ? stackalloc float[tokenCount] : new float[tokenCount];
        int n = WriteTokens(features, contextLength, tokens);
        return (float)_scorer.Score(tokens, n);
    }

    /// <summary>True when the batched engine path applies: every architecture the fast engine computes (all that an
    /// ML.NET model can hold: linear, softmax and ReLU attention).</summary>
    public bool SupportsBatches => LinAttn.Engine.FastBackend.Supports(Payload.Model);

    /// <summary>
    /// Checks one prompt vector and writes it as tokens [N + 1, d + 1] (query label 0); returns its context length n_b.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The vector has the wrong size or the context length is not an integer in [1, N].</exception>
    public int WriteTokens(ReadOnlySpan<float> features, float? contextLength, Span<float> tokens)
    {
        PromptShape shape = Shape;
        if (features.Length != shape.FeatureCount)
            throw new ArgumentOutOfRangeException(Payload.FeatureColumnName,
                $"Column '{Payload.FeatureColumnName}' must hold a prompt of {shape.FeatureCount} = n(d+1)+d values ({shape.Describe()}), but held {features.Length}.");
        int n = shape.ContextLength;
        if (contextLength is float length)
        {
            if (!(length >= 1 && length <= n) || length != MathF.Floor(length))
            {
                string name = Payload.ContextLengthColumnName ?? "contextLength";
                throw new ArgumentOutOfRangeException(name, string.Create(CultureInfo.InvariantCulture,
                    $"{(Payload.ContextLengthColumnName is null ? "contextLength" : $"Column '{name}'")} must hold a whole number of context pairs in [1, {n}], but held {length}."));
            }
            n = (int)length;
        }
        shape.WriteTokens(features, tokens);
        tokens[(shape.ContextLength + 1) * (shape.Dimension + 1) - 1] = 0;
        return n;
    }
}
