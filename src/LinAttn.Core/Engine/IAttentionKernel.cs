using LinAttn.Engine.Simd;

namespace LinAttn.Engine;

/// <summary>Forward and backward of one architecture over a block of prompts (one per lane).</summary>
internal interface IAttentionKernel<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    /// <summary>Broadcasts P_full and Q_full ([L, H, d+1, d+1] each, row-major) into the lanes.</summary>
    void SetParameters(ReadOnlySpan<double> pFull, ReadOnlySpan<double> qFull);

    /// <summary>Zeroes the lane-wise gradient accumulators.</summary>
    void ClearGradients();

    /// <summary>Adds the lane sums of the accumulators into full-matrix gradients ([L, H, d+1, d+1] each).</summary>
    void AddGradientsTo(Span<double> gradP, Span<double> gradQ);

    /// <summary>
    /// ŷ per lane for the prompts in <paramref name="block"/>; keeps what <see cref="Backward"/> needs. With
    /// <paramref name="fromLayer"/> &gt; 0 the layers below it are not recomputed: their saved state from the previous
    /// forward pass on this block is reused, so the parameters below <paramref name="fromLayer"/> must not have changed.
    /// </summary>
    TVec Forward(PromptBlock<TOps, TVec, T> block, int fromLayer = 0);

    /// <summary>
    /// Accumulates the parameter gradients for ∂loss/∂ŷ = <paramref name="predictionGradient"/> per lane, of the layers
    /// from the top down to <paramref name="downToLayer"/> (the layers below get nothing).
    /// </summary>
    void Backward(PromptBlock<TOps, TVec, T> block, TVec predictionGradient, int downToLayer = 0);

    /// <summary>Broadcasts one entry of P_full (<paramref name="matrix"/> 0) or Q_full (1), index in the [L, H, d+1, d+1] layout.</summary>
    void SetEntry(int matrix, int fullIndex, double value);

    /// <summary>
    /// The lane-wise accumulators <see cref="Backward"/> adds to (and <see cref="ClearGradients"/>,
    /// <see cref="AddGradientsTo"/> work on), in the kernel's own layout of <see cref="GradientLength"/> vectors each;
    /// settable so that a caller can keep several sets (one per Hessian column).
    /// </summary>
    (LaneBuffer<TVec> P, LaneBuffer<TVec> Q) Gradients { get; set; }

    /// <summary>Vectors in each of <see cref="Gradients"/>' buffers.</summary>
    int GradientLength { get; }
}
