namespace LinAttn.Training.Optimizers;

/// <summary>
/// Adam with bias correction, PyTorch convention: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε). Adam adds weight decay to the gradient (g ← g + λθ);
/// AdamW decays the parameters first (θ ← θ(1 − ηλ)).
/// </summary>
public sealed class AdamOptimizer : IParameterOptimizer
{
    private readonly double[] _m, _v;
    private readonly bool _decoupled;
    private int _t;

    /// <summary>Creates the optimizer; <see cref="OptimizerKind.AdamW"/> selects decoupled weight decay.</summary>
    public AdamOptimizer(OptimizerOptions options, int parameterCount)
    {
        Options = options;
        _decoupled = options.Kind == OptimizerKind.AdamW;
        _m = new double[parameterCount];
        _v = new double[parameterCount];
    }

    /// <inheritdoc />
    public OptimizerOptions Options { get; }

    /// <inheritdoc />
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate)
    {
        _t++;
        double b1 = Options.Beta1, b2 = Options.Beta2, eps = Options.Epsilon, decay = Options.EffectiveWeightDecay;
        double stepSize = learningRate / (1 - Math.Pow(b1, _t));
        double rootCorrection2 = Math.Sqrt(1 - Math.Pow(b2, _t));
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            if (_decoupled) parameters[i] *= 1 - learningRate * decay;
            else g += decay * parameters[i];
            _m[i] = b1 * _m[i] + (1 - b1) * g;
            _v[i] = b2 * _v[i] + (1 - b2) * g * g;
            parameters[i] -= stepSize * _m[i] / (Math.Sqrt(_v[i]) / rootCorrection2 + eps);
        }
    }
}
