using LinAttn.Engine.Simd;

namespace LinAttn.Engine;

/// <summary>
/// A kernel that works on the full matrices P_full and Q_full ([L, H, k, k], k = d + 1), so its parameters and
/// gradients are in the [L, H, d+1, d+1] layout of <see cref="IAttentionKernel{TOps, TVec, T}"/> as they are.
/// </summary>
internal abstract class FullMatrixKernel<TOps, TVec, T> : KernelBase<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    /// <param name="matrixEntries">L·H·k², the length of each of P_full and Q_full.</param>
    protected FullMatrixKernel(int matrixEntries)
        : base(matrixEntries)
    {
    }

    /// <inheritdoc />
    public override void SetParameters(ReadOnlySpan<double> pFull, ReadOnlySpan<double> qFull)
    {
        for (int i = 0; i < _p.Length; i++)
        {
            _p[i] = TOps.Broadcast(TOps.FromDouble(pFull[i]));
            _q[i] = TOps.Broadcast(TOps.FromDouble(qFull[i]));
        }
    }

    /// <inheritdoc />
    public override void SetEntry(int matrix, int fullIndex, double value)
        => (matrix == 0 ? _p : _q)[fullIndex] = TOps.Broadcast(TOps.FromDouble(value));

    /// <inheritdoc />
    public override void AddGradientsTo(Span<double> gradP, Span<double> gradQ)
    {
        SumGradientLanes();
        for (int i = 0; i < _gradP.Length; i++)
        {
            gradP[i] += _sumsP[i];
            gradQ[i] += _sumsQ[i];
        }
    }
}
