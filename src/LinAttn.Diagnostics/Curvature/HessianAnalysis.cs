using System.Diagnostics;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Diagnostics;

/// <summary>
/// The Hessian of the loss on a batch with respect to all trainable parameters (Ahn et al. 2024 §2.3; the authors
/// compute it on the fixed evaluation batch), its diagonal, spectrum and robust condition numbers.
/// </summary>
/// <remarks>
/// Cost: whatever the engine's <see cref="IDifferentiableLoss.Hessian"/> costs. On the TorchSharp engine it is P
/// double-backward passes in float64: about 1.5 s for the paper's base model (P = 150, B = 1000) and 14 s for L = 8
/// (P = 400), measured on one core of this project's machine. The eigen-decomposition adds O(P³) (milliseconds for
/// P = 150).
/// </remarks>
public static class HessianAnalysis
{
    /// <summary>Computes ∇²f(θ) on <paramref name="batch"/>.</summary>
    public static HessianResult Compute(IDifferentiableLoss loss, ReadOnlySpan<double> parameters, PromptBatch batch)
    {
        Check.NotNull(loss, nameof(loss));
        Check.NotNull(batch, nameof(batch));
        int p = loss.Model.ParameterCount;
        Check.Length(parameters.Length, p, nameof(parameters));
        var clock = Stopwatch.StartNew();
        double[] matrix = loss.Hessian(parameters, batch);
        return new HessianResult(matrix, p, loss.HessianMethod, clock.Elapsed.TotalSeconds);
    }

    /// <summary>R_med of ∇²f(θ) on <paramref name="batch"/> under <paramref name="definition"/> (the facade for the
    /// common case; keep the <see cref="HessianResult"/> from <see cref="Compute"/> to get both definitions from
    /// one Hessian).</summary>
    public static double RobustCondition(IDifferentiableLoss loss, ReadOnlySpan<double> parameters, PromptBatch batch,
        RobustConditionDefinition definition = RobustConditionDefinition.AbsoluteDiagonal)
        => Compute(loss, parameters, batch).RobustCondition(definition);
}
