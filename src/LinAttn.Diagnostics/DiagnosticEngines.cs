using LinAttn.Model;

namespace LinAttn.Diagnostics;

/// <summary>
/// The engine the diagnostics use by default for losses, gradients, Hessian-vector products and Hessians. Every API
/// also accepts an <see cref="IDifferentiableLoss"/> (or a factory), so a faster engine plugs in without changes here.
/// </summary>
public static class DiagnosticEngines
{
    /// <summary>Today's default: <see cref="TorchSharpDifferentiableLoss"/> (float64, exact double backward) on the CPU.</summary>
    public static IDifferentiableLoss CreateLoss(ModelOptions model) => new TorchSharpDifferentiableLoss(model);
}
