using LinAttn.Engine.Simd;

namespace LinAttn.Engine;

/// <summary>
/// What every kernel holds: its broadcast parameter matrices P and Q (in its own layout) and their lane-wise gradient
/// accumulators, with the accumulator members of <see cref="IAttentionKernel{TOps, TVec, T}"/>.
/// </summary>
internal abstract class KernelBase<TOps, TVec, T> : IAttentionKernel<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    protected readonly LaneBuffer<TVec> _p, _q;   // broadcast P and Q in the kernel's layout
    protected LaneBuffer<TVec> _gradP, _gradQ;    // lane-wise accumulators, same layout
    protected readonly double[] _sumsP, _sumsQ;   // their lane sums (scratch of AddGradientsTo)

    /// <param name="matrixEntries">Length of each of P and Q in the kernel's layout.</param>
    protected KernelBase(int matrixEntries)
    {
        _p = LaneBuffer<TVec>.Allocate(matrixEntries);
        _q = LaneBuffer<TVec>.Allocate(matrixEntries);
        _gradP = LaneBuffer<TVec>.Allocate(matrixEntries);
        _gradQ = LaneBuffer<TVec>.Allocate(matrixEntries);
        _sumsP = new double[matrixEntries];
        _sumsQ = new double[matrixEntries];
    }

    /// <summary>Fills <see cref="_sumsP"/> and <see cref="_sumsQ"/> with the lane sums of the accumulators.</summary>
    protected void SumGradientLanes()
    {
        LaneMatrix<TOps, TVec, T>.SumLanesInto(_gradP, _sumsP);
        LaneMatrix<TOps, TVec, T>.SumLanesInto(_gradQ, _sumsQ);
    }

    /// <inheritdoc />
    public (LaneBuffer<TVec> P, LaneBuffer<TVec> Q) Gradients
    {
        get => (_gradP, _gradQ);
        set => (_gradP, _gradQ) = value;
    }

    /// <inheritdoc />
    public int GradientLength => _p.Length;

    /// <inheritdoc />
    public void ClearGradients()
    {
        _gradP.Clear();
        _gradQ.Clear();
    }

    /// <inheritdoc />
    public abstract void SetParameters(ReadOnlySpan<double> pFull, ReadOnlySpan<double> qFull);

    /// <inheritdoc />
    public abstract void SetEntry(int matrix, int fullIndex, double value);

    /// <inheritdoc />
    public abstract void AddGradientsTo(Span<double> gradP, Span<double> gradQ);

    /// <inheritdoc />
    public abstract TVec Forward(PromptBlock<TOps, TVec, T> block, int fromLayer = 0);

    /// <inheritdoc />
    public abstract void Backward(PromptBlock<TOps, TVec, T> block, TVec predictionGradient, int downToLayer = 0);
}
