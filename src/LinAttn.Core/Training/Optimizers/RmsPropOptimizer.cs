namespace LinAttn.Training.Optimizers;

/// <summary>RMSprop, PyTorch convention without momentum or centring: v ← αv + (1−α)g², θ ← θ − η g / (√v + ε).</summary>
public sealed class RmsPropOptimizer : IParameterOptimizer
{
    private readonly double[] _v;

    /// <summary>Creates the optimizer.</summary>
    public RmsPropOptimizer(OptimizerOptions options, int parameterCount)
    {
        Options = options;
        _v = new double[parameterCount];
    }

    /// <inheritdoc />
    public OptimizerOptions Options { get; }

    /// <inheritdoc />
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate)
    {
        double alpha = Options.RmsPropAlpha, eps = Options.Epsilon, decay = Options.EffectiveWeightDecay;
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i] + decay * parameters[i];
            _v[i] = alpha * _v[i] + (1 - alpha) * g * g;
            parameters[i] -= learningRate * g / (Math.Sqrt(_v[i]) + eps);
        }
    }
}
