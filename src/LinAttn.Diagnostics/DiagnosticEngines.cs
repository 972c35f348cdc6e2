using LinAttn.Engine;
using LinAttn.Model;

namespace LinAttn.Diagnostics;

/// <summary>
/// The engine the diagnostics use by default for losses, gradients, Hessian-vector products and Hessians. Every API
/// also accepts an <see cref="IDifferentiableLoss"/> (or a factory), so another engine plugs in without changes here.
/// </summary>
public static class DiagnosticEngines
{
    /// <summary>
    /// <see cref="FastDifferentiableLoss"/> (analytic float64 gradients; Hessian-vector products by central differences,
    /// about 1e-8 relative) whenever the fast engine computes the model (linear attention; a feature MLP with the Full
    /// parametrisation), else
    /// <see cref="TorchSharpDifferentiableLoss"/> (exact double backward).
    /// </summary>
    public static IDifferentiableLoss CreateLoss(ModelOptions model) => CreateLoss(model, threads: null);

    /// <summary>As <see cref="CreateLoss(ModelOptions)"/>, with the fast engine on <paramref name="threads"/> threads
    /// (null: all cores). TorchSharp's thread count is process-wide and set by the training options instead.</summary>
    public static IDifferentiableLoss CreateLoss(ModelOptions model, int? threads)
        => FastBackend.Supports(model) ? new FastDifferentiableLoss(model, threads) : new TorchSharpDifferentiableLoss(model);

    /// <summary>
    /// A loss for gradients only, computing in <paramref name="precision"/>: <see cref="FastDifferentiableLoss"/> in
    /// that precision whenever the fast engine computes the model, else <see cref="TorchSharpDifferentiableLoss"/>
    /// (always float64). The gradient-noise studies use it (<see cref="GradientNoiseOptions.Precision"/>).
    /// </summary>
    public static IDifferentiableLoss CreateGradientLoss(ModelOptions model, Precision precision, int? threads = null)
        => FastBackend.Supports(model) ? new FastDifferentiableLoss(model, threads, precision) : new TorchSharpDifferentiableLoss(model);
}
