namespace LinAttn.Training.Optimizers;

/// <summary>
/// An optimizer over a flat parameter vector θ (layout [L, H, m, k, k]), in double precision. Shared by every engine,
/// so SGD, Adam and friends behave identically whatever computes the gradient.
/// </summary>
public interface IParameterOptimizer
{
    /// <summary>The optimizer's hyper-parameters.</summary>
    OptimizerOptions Options { get; }

    /// <summary>Applies one update in place: θ ← update(θ, g) with learning rate <paramref name="learningRate"/>.
    /// <paramref name="gradient"/> is already clipped; implementations may read it but never keep it.</summary>
    void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate);
}
