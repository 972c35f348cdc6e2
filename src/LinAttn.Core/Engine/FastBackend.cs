using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training;
using LinAttn.Training.Optimizers;

namespace LinAttn.Engine;

/// <summary>
/// The fast engine as a training backend: forward and analytic backward in managed SIMD code (see
/// <see cref="FastModel"/>), then the shared clipping and optimizer update. Linear attention only (identity scores),
/// every parametrisation, any L and H, float32 or float64, CPU; a feature MLP with the Full parametrisation.
/// </summary>
public sealed class FastBackend : ITrainingBackend
{
    private readonly FastModel _model;
    private readonly IParameterOptimizer _optimizer;
    private readonly double? _clip;
    private readonly double[] _theta, _gradient, _backup;

    /// <summary>Creates the engine from initial parameters (layout [L, H, m, k, k]).</summary>
    /// <param name="model">The architecture; see <see cref="Supports"/>.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="clipThreshold">Global-norm clipping threshold, or null.</param>
    /// <param name="initialParameters">θ₀.</param>
    /// <param name="threads">Worker threads (null: all cores). Results do not depend on it.</param>
    /// <param name="width">SIMD width (tests force narrower widths).</param>
    public FastBackend(ModelOptions model, OptimizerOptions optimizer, double? clipThreshold, ReadOnlySpan<double> initialParameters,
        int? threads = null, SimdWidth width = SimdWidth.Auto)
    {
        Guard.NotNull(model).Validate();
        Guard.That(initialParameters.Length == model.ParameterCount, nameof(initialParameters),
            $"initialParameters must hold {model.ParameterCount} values, but held {initialParameters.Length}.");
        if (clipThreshold is double c) Guard.Positive(c, nameof(clipThreshold));
        _model = new FastModel(model, threads, width);
        _optimizer = ParameterOptimizers.Create(Guard.NotNull(optimizer), model.ParameterCount);
        _clip = clipThreshold;
        _theta = initialParameters.ToArray();
        _gradient = new double[_theta.Length];
        _backup = new double[_theta.Length];
    }

    /// <summary>True when the fast engine computes <paramref name="model"/>: linear attention (identity scores; with a
    /// feature MLP only in the Full parametrisation), or softmax and ReLU attention (token-level form) without a feature MLP.</summary>
    public static bool Supports(ModelOptions model)
        => model.Activation == ScoreActivation.Identity
            ? model.FeatureMlpWidth == 0 || model.Parametrization == Parametrization.Full
            : model.FeatureMlpWidth == 0;

    /// <summary>Why <paramref name="model"/> needs the TorchSharp engine (for error messages); empty when it does not.</summary>
    internal static string Unsupported(ModelOptions model)
        => model.Activation != ScoreActivation.Identity && model.FeatureMlpWidth > 0
            ? $"Activation is {model.Activation} with FeatureMlpWidth {model.FeatureMlpWidth} (the fast engine has no feature MLP for softmax or ReLU attention)"
            : model.FeatureMlpWidth > 0 && model.Parametrization != Parametrization.Full
                ? $"FeatureMlpWidth is {model.FeatureMlpWidth} (a feature MLP) with the {model.Parametrization} parametrisation (the fast engine's feature MLP needs Full)"
            : "";

    /// <inheritdoc />
    public ModelOptions Model => _model.Options;

    /// <inheritdoc />
    public StepOutcome Step(PromptBatch batch, double learningRate)
    {
        double loss = _model.LossAndGradient(_theta, batch, _gradient);
        return ParameterUpdate.Apply(loss, _theta, _gradient, _clip, _optimizer, learningRate, _backup);
    }

    /// <inheritdoc />
    public double Evaluate(PromptBatch batch) => _model.LossAndGradient(_theta, batch, Span<double>.Empty);

    /// <inheritdoc />
    public double[] GetParameters() => (double[])_theta.Clone();

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
