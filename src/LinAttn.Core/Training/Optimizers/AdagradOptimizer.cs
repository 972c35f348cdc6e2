namespace LinAttn.Training.Optimizers;

/// <summary>Adagrad, PyTorch convention (no learning-rate decay): s ← s + g², θ ← θ − η g / (√s + ε).</summary>
public sealed class AdagradOptimizer : IParameterOptimizer
{
    private readonly double[] _sum;

    /// <summary>Creates the optimizer.</summary>
    public AdagradOptimizer(OptimizerOptions options, int parameterCount)
    {
        Options = options;
        _sum = new double[parameterCount];
    }

    /// <inheritdoc />
    public OptimizerOptions Options { get; }

    /// <inheritdoc />
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate)
    {
        double eps = Options.Epsilon, decay = Options.EffectiveWeightDecay;
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i] + decay * parameters[i];
            _sum[i] += g * g;
            parameters[i] -= learningRate * g / (Math.Sqrt(_sum[i]) + eps);
        }
    }
}
