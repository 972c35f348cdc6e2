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

    /// <summary>ŷ per lane for the prompts in <paramref name="block"/>; keeps what <see cref="Backward"/> needs.</summary>
    TVec Forward(PromptBlock<TOps, TVec, T> block);

    /// <summary>Accumulates the parameter gradients for ∂loss/∂ŷ = <paramref name="predictionGradient"/> per lane.</summary>
    void Backward(PromptBlock<TOps, TVec, T> block, TVec predictionGradient);
}
