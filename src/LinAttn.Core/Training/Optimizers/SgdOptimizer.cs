namespace LinAttn.Training.Optimizers;

/// <summary>
/// SGD with optional heavy-ball momentum, PyTorch convention (no dampening, no Nesterov): g ← g + λθ;
/// buf ← g on the first step, μ·buf + g afterwards; θ ← θ − η·buf. With μ = 0, θ ← θ − η g.
/// </summary>
public sealed class SgdOptimizer : IParameterOptimizer
{
    private readonly double[] _buffer;
    private bool _started;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    public SgdOptimizer(OptimizerOptions options, int parameterCount)
    {
        Options = options;
        _buffer = new double[parameterCount];
    }

    /// <inheritdoc />
    public OptimizerOptions Options { get; }

    /// <inheritdoc />
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate)
    {
        double momentum = Options.EffectiveMomentum, decay = Options.EffectiveWeightDecay;
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i] + decay * parameters[i];
            if (momentum != 0)
            {
                g = _started ? momentum * _buffer[i] + g : g;
                _buffer[i] = g;
            }
            parameters[i] -= learningRate * g;
        }
        _started = true;
    }
}
