namespace LinAttn.Training.Optimizers;

/// <summary>Normalized SGD: m ← μm + g (m₀ = 0), θ ← θ − η m/‖m‖ (global norm). Same rule as the TorchSharp <see cref="NormalizedSgd"/>.</summary>
public sealed class NormalizedSgdOptimizer : IParameterOptimizer
{
    private readonly double[] _m;

    /// <summary>Creates the optimizer.</summary>
    public NormalizedSgdOptimizer(OptimizerOptions options, int parameterCount)
    {
        Options = options;
        _m = new double[parameterCount];
    }

    /// <inheritdoc />
    public OptimizerOptions Options { get; }

    /// <inheritdoc />
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate)
    {
        double momentum = Options.Momentum, decay = Options.EffectiveWeightDecay, squared = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            _m[i] = momentum * _m[i] + gradient[i] + decay * parameters[i];
            squared += _m[i] * _m[i];
        }
        if (!(squared > 0)) return;
        double scale = learningRate / Math.Sqrt(squared);
        for (int i = 0; i < parameters.Length; i++) parameters[i] -= scale * _m[i];
    }
}
