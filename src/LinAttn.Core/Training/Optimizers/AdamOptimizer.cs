using System.Numerics;

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
        int i = StepVectorized(parameters, gradient, learningRate, b1, b2, eps, decay, stepSize, rootCorrection2);
        for (; i < parameters.Length; i++)
        {
            double g = gradient[i];
            if (_decoupled) parameters[i] *= 1 - learningRate * decay;
            else g += decay * parameters[i];
            _m[i] = b1 * _m[i] + (1 - b1) * g;
            _v[i] = b2 * _v[i] + (1 - b2) * g * g;
            parameters[i] -= stepSize * _m[i] / (Math.Sqrt(_v[i]) / rootCorrection2 + eps);
        }
    }

    // The loop above on whole vectors of parameters, the same operations in the same order per element (IEEE
    // multiply, add, square root and divide, no fused multiply-add), so the results are identical; returns how many
    // parameters it updated.
    private int StepVectorized(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, double b1, double b2, double eps,
        double decay, double stepSize, double rootCorrection2)
    {
        int width = Vector<double>.Count, i = 0;
        if (!Vector.IsHardwareAccelerated) return 0;
        Vector<double> beta1 = new(b1), keep1 = new(1 - b1), beta2 = new(b2), keep2 = new(1 - b2), epsilon = new(eps);
        Vector<double> weightDecay = new(decay), shrink = new(1 - learningRate * decay), step = new(stepSize), root = new(rootCorrection2);
        for (; i + width <= parameters.Length; i += width)
        {
            var g = new Vector<double>(gradient[i..]);
            var p = new Vector<double>(parameters[i..]);
            if (_decoupled) p *= shrink;
            else g += weightDecay * p;
            Vector<double> m = beta1 * new Vector<double>(_m, i) + keep1 * g;
            Vector<double> v = beta2 * new Vector<double>(_v, i) + keep2 * g * g;
            m.CopyTo(_m, i);
            v.CopyTo(_v, i);
            (p - step * m / (Vector.SquareRoot(v) / root + epsilon)).CopyTo(parameters[i..]);
        }
        return i;
    }
}
