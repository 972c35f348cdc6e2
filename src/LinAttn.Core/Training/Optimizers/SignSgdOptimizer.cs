namespace LinAttn.Training.Optimizers;

/// <summary>Sign SGD / Signum: m ← μm + (1−μ)g (m₀ = 0), θ ← θ − η sign(m). Same rule as the TorchSharp <see cref="SignSgd"/>.</summary>
public sealed class SignSgdOptimizer : IParameterOptimizer
{
    private readonly double[] _m;

    /// <summary>Creates the optimizer.</summary>
    public SignSgdOptimizer(OptimizerOptions options, int parameterCount)
    {
        Options = options;
        _m = new double[parameterCount];
    }

    /// <inheritdoc />
    public OptimizerOptions Options { get; }

    /// <inheritdoc />
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate)
    {
        double momentum = Options.Momentum, decay = Options.EffectiveWeightDecay;
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i] + decay * parameters[i];
            _m[i] = momentum * _m[i] + (1 - momentum) * g;
            parameters[i] -= learningRate * Math.Sign(_m[i]);
        }
    }
}
