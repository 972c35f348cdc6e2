using LinAttn.Tasks;

namespace LinAttn.Model;

/// <summary>
/// The training loss f(θ) = mean_b (ŷ_b(θ) − y_b)² of one architecture on a given batch, as a function of the flat
/// parameter vector θ (layout [L, H, m, k, k]), with its gradient, Hessian-vector products and full Hessian.
/// Diagnostics are written against this interface so every engine can serve them.
/// </summary>
public interface IDifferentiableLoss : IDisposable
{
    /// <summary>The architecture (θ has <see cref="ModelOptions.ParameterCount"/> entries).</summary>
    ModelOptions Model { get; }

    /// <summary>How Hessian-vector products are computed (e.g. "double backward (exact)"), for reports.</summary>
    string HessianMethod { get; }

    /// <summary>f(θ) on <paramref name="batch"/>.</summary>
    double Loss(ReadOnlySpan<double> parameters, PromptBatch batch);

    /// <summary>Writes ∇f(θ) into <paramref name="gradient"/> and returns f(θ).</summary>
    double Gradient(ReadOnlySpan<double> parameters, PromptBatch batch, Span<double> gradient);

    /// <summary>Writes ∇²f(θ)·v into <paramref name="result"/>.</summary>
    void HessianVectorProduct(ReadOnlySpan<double> parameters, PromptBatch batch, ReadOnlySpan<double> direction, Span<double> result);

    /// <summary>The full Hessian ∇²f(θ), row-major P×P (symmetrised).</summary>
    double[] Hessian(ReadOnlySpan<double> parameters, PromptBatch batch);
}
