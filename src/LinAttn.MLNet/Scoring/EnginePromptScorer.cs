using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.MLNet.Scoring;

/// <summary>
/// A prompt scored by the fast engine's kernel (S-form or token-level) in float64, one prompt at a time (one SIMD lane). A prompt's
/// score is bit-identical to the one the batched path (<see cref="BatchScoringDataView"/>) computes in a full-width
/// lane, so the per-row chain that ML.NET saves and the fitted transformer's batched <c>Transform</c> agree exactly.
/// Thread-safe: each thread has its own predictor and buffers.
/// </summary>
internal sealed class EnginePromptScorer : IPromptScorer
{
    private readonly ModelOptions _options;
    private readonly double[] _parameters;
    private readonly int _contextLength;
    private readonly ThreadLocal<State> _state;

    public EnginePromptScorer(ModelOptions options, ReadOnlySpan<double> parameters, int contextLength)
    {
        _options = options with { Precision = Precision.Float64 };
        _parameters = parameters.ToArray();
        _contextLength = contextLength;
        _state = new ThreadLocal<State>(() => new State(_options, _parameters, _contextLength));
    }

    public double Score(ReadOnlySpan<float> tokens, int contextLength)
    {
        int k = _options.Dimension + 1;
        if (contextLength < 1 || contextLength > _contextLength || tokens.Length < (_contextLength + 1) * k)
            throw new ArgumentOutOfRangeException(nameof(contextLength), $"contextLength must be in [1, {_contextLength}], but was {contextLength}.");
        State state = _state.Value!;
        tokens[..((_contextLength + 1) * k)].CopyTo(state.Tokens);
        state.Tokens[(_contextLength + 1) * k - 1] = 0;      // the query's label slot
        state.Lengths[0] = contextLength;
        state.Predictor.Predict(state.Batch, state.Prediction);
        return state.Prediction[0];
    }

    private sealed class State
    {
        public readonly float[] Tokens;
        public readonly int[] Lengths = new int[1];
        public readonly double[] Prediction = new double[1];
        public readonly PromptBatch Batch;
        public readonly FastPredictor Predictor;

        public State(ModelOptions options, double[] parameters, int contextLength)
        {
            Tokens = new float[(contextLength + 1) * (options.Dimension + 1)];
            Lengths[0] = contextLength;
            Batch = new PromptBatch(1, contextLength, options.Dimension, Tokens, new float[1], Lengths);
            Predictor = new FastPredictor(options, parameters, SimdWidth.Scalar);
        }
    }
}
