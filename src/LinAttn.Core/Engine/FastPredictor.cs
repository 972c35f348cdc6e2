using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Engine;

/// <summary>
/// Predictions of a trained model (linear, softmax or ReLU attention) with the fast engine, parameters prepared once: for scoring many
/// batches (ML.NET transforms, evaluation loops). One thread; not thread-safe (use one instance per thread).
/// </summary>
/// <remarks>Every SIMD lane runs the same sequence of IEEE operations (the softmax's exp included, see <see cref="Simd.VectorExp"/>), so a prompt's prediction is bit-identical whatever
/// the width, the lane it lands in, or the batch around it: a one-prompt <see cref="SimdWidth.Scalar"/> predictor and a
/// full-width predictor agree exactly.</remarks>
public sealed class FastPredictor
{
    private readonly KernelWorker _worker;

    /// <summary>Creates the predictor for <paramref name="model"/> (any model <see cref="FastBackend.Supports"/>) with parameters θ.</summary>
    /// <param name="model">The architecture; <see cref="ModelOptions.Precision"/> selects float32 or float64 arithmetic.</param>
    /// <param name="parameters">θ in the layout [L, H, m, k, k].</param>
    /// <param name="width">SIMD width; <see cref="SimdWidth.Scalar"/> for one prompt at a time.</param>
    public FastPredictor(ModelOptions model, ReadOnlySpan<double> parameters, SimdWidth width = SimdWidth.Auto)
    {
        Guard.NotNull(model).Validate();
        Guard.That(FastBackend.Supports(model), nameof(model),
            $"The fast engine cannot compute this model: {FastBackend.Unsupported(model)}.");
        Guard.That(parameters.Length == model.ParameterCount, nameof(parameters),
            $"parameters must hold {model.ParameterCount} values, but held {parameters.Length}.");
        Model = model;
        _worker = FastModel.CreateWorker(model, width);
        var map = new ParameterMap(model);
        var p = new double[map.FullSize];
        var q = new double[map.FullSize];
        map.ToFull(parameters, p, q);
        _worker.SetParameters(p, q);
        _worker.SetFeatureParameters(parameters[model.AttentionParameterCount..]);
    }

    /// <summary>The architecture.</summary>
    public ModelOptions Model { get; }

    /// <summary>Prompts per SIMD block.</summary>
    public int Width => _worker.Width;

    /// <summary>Writes ŷ for prompts [start, start + predictions.Length) of <paramref name="batch"/>.</summary>
    public void Predict(PromptBatch batch, Span<double> predictions, int start = 0)
    {
        Guard.NotNull(batch);
        Guard.That(batch.Dimension == Model.Dimension, nameof(batch), $"batch has d = {batch.Dimension}, the model d = {Model.Dimension}.");
        Guard.That(start >= 0 && start + predictions.Length <= batch.BatchSize, nameof(start),
            $"prompts [{start}, {start + predictions.Length}) must lie in the batch of {batch.BatchSize}.");
        var all = new double[batch.BatchSize];
        _worker.Process(batch, start, start + predictions.Length, 0, Span<double>.Empty, Span<double>.Empty, all);
        all.AsSpan(start, predictions.Length).CopyTo(predictions);
    }
}
