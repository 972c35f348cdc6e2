using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinAttn.Engine.Simd;

namespace LinAttn.Engine;

/// <summary>
/// Forward and hand-derived backward of linear attention in the S-form for one block of prompts, one prompt per SIMD
/// lane (structure of arrays). All matrices are k×k with k = d + 1, row-major, each entry a vector of lanes.
/// </summary>
/// <remarks>
/// Forward, per layer ℓ: T_h = S Q_hᵀ, M = Σ_h P_h T_h, A = I + M/n, q ← A q, U = A S, S ← U Aᵀ; ŷ = −q[d].
/// Backward (ē = ∂loss/∂ŷ): q̄ = −ē e_d; per layer from the top: Ā = q̄ qᵀ + (S̄ + S̄ᵀ) U, M̄ = Ā/n,
/// P̄_h += M̄ T_hᵀ (= M̄ Q_h S), Q̄_h += M̄ᵀ P_h S, S̄ ← Aᵀ S̄ A + Σ_h P_hᵀ M̄ Q_h, q̄ ← Aᵀ q̄.
/// Parameter gradients accumulate lane-wise; the caller sums lanes once per step.
/// </remarks>
internal sealed class AttentionKernel<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly int _k, _kk, _layers, _heads, _d;
    private readonly TVec[] _p, _q;                  // broadcast P_full, Q_full: [L, H, k, k]
    private readonly TVec[] _gradP, _gradQ;          // lane-wise accumulators: [L, H, k, k]
    private readonly TVec[] _s, _a, _u, _t, _query;  // saved forward state
    private readonly TVec[] _m, _bar, _sym, _sBar, _sBarNext, _tmp, _v, _w, _qBar, _qBarNext;

    public AttentionKernel(int dimension, int layers, int heads)
    {
        _d = dimension;
        _k = dimension + 1;
        _kk = _k * _k;
        _layers = layers;
        _heads = heads;
        int parameterMatrices = layers * heads * _kk;
        _p = new TVec[parameterMatrices];
        _q = new TVec[parameterMatrices];
        _gradP = new TVec[parameterMatrices];
        _gradQ = new TVec[parameterMatrices];
        _s = new TVec[layers * _kk];
        _a = new TVec[layers * _kk];
        _u = new TVec[layers * _kk];
        _t = new TVec[parameterMatrices];
        _query = new TVec[(layers + 1) * _k];
        _m = new TVec[_kk];
        _bar = new TVec[_kk];
        _sym = new TVec[_kk];
        _sBar = new TVec[_kk];
        _sBarNext = new TVec[_kk];
        _tmp = new TVec[_kk];
        _v = new TVec[_kk];
        _w = new TVec[_kk];
        _qBar = new TVec[_k];
        _qBarNext = new TVec[_k];
        Block = new PromptBlock<TOps, TVec, T>(dimension);
    }

    /// <summary>The block of prompts the next forward reads (S₀, z_q, 1/n, targets, lane weights).</summary>
    public PromptBlock<TOps, TVec, T> Block { get; }

    /// <summary>Broadcasts P_full and Q_full ([L, H, k, k] each, row-major) into the lanes.</summary>
    public void SetParameters(ReadOnlySpan<double> pFull, ReadOnlySpan<double> qFull)
    {
        for (int i = 0; i < _p.Length; i++)
        {
            _p[i] = TOps.Broadcast(TOps.FromDouble(pFull[i]));
            _q[i] = TOps.Broadcast(TOps.FromDouble(qFull[i]));
        }
    }

    /// <summary>Zeroes the gradient accumulators.</summary>
    public void ClearGradients()
    {
        Array.Clear(_gradP);
        Array.Clear(_gradQ);
    }

    /// <summary>Adds the lane sums of the accumulators into <paramref name="gradP"/> and <paramref name="gradQ"/>.</summary>
    public void AddGradientsTo(Span<double> gradP, Span<double> gradQ)
    {
        int width = TOps.Width;
        for (int i = 0; i < _gradP.Length; i++)
        {
            double sp = 0, sq = 0;
            for (int lane = 0; lane < width; lane++)
            {
                sp += TOps.ToDouble(TOps.GetLane(_gradP[i], lane));
                sq += TOps.ToDouble(TOps.GetLane(_gradQ[i], lane));
            }
            gradP[i] += sp;
            gradQ[i] += sq;
        }
    }

    /// <summary>Forward pass over the block: returns ŷ per lane (and keeps what the backward needs).</summary>
    public TVec Forward()
    {
        int k = _k, kk = _kk;
        PromptBlock<TOps, TVec, T> block = Block;
        Array.Copy(block.S0, _s, kk);
        Array.Copy(block.Query, _query, k);
        for (int l = 0; l < _layers; l++)
        {
            Span<TVec> s = _s.AsSpan(l * kk, kk), a = _a.AsSpan(l * kk, kk);
            Array.Clear(_m);
            for (int h = 0; h < _heads; h++)
            {
                int offset = (l * _heads + h) * kk;
                Span<TVec> t = _t.AsSpan(offset, kk);
                MultiplyTransposed(s, _q.AsSpan(offset, kk), t);              // T = S Qᵀ
                MultiplyAccumulate(_p.AsSpan(offset, kk), t, _m);             // M += P T
            }
            for (int i = 0; i < kk; i++) a[i] = TOps.Mul(_m[i], block.InverseCount);
            for (int i = 0; i < k; i++) a[i * k + i] = TOps.Add(a[i * k + i], TOps.Broadcast(TOps.FromDouble(1)));
            MultiplyVector(a, _query.AsSpan(l * k, k), _query.AsSpan((l + 1) * k, k));   // q ← A q
            if (l + 1 < _layers)
            {
                Span<TVec> u = _u.AsSpan(l * kk, kk);
                Multiply(a, s, u);                                            // U = A S
                MultiplyTransposedSymmetric(u, a, _s.AsSpan((l + 1) * kk, kk));  // S' = U Aᵀ
            }
        }
        return TOps.Sub(TOps.Zero, _query[_layers * k + _d]);
    }

    /// <summary>
    /// Backward pass after <see cref="Forward"/>, with ē = ∂loss/∂ŷ per lane: accumulates the lane-wise gradients of
    /// P_full and Q_full.
    /// </summary>
    public void Backward(TVec predictionGradient)
    {
        int k = _k, kk = _kk;
        Array.Clear(_qBar);
        _qBar[_d] = TOps.Sub(TOps.Zero, predictionGradient);
        Array.Clear(_sBar);
        TVec inverseCount = Block.InverseCount;
        for (int l = _layers - 1; l >= 0; l--)
        {
            Span<TVec> s = _s.AsSpan(l * kk, kk), a = _a.AsSpan(l * kk, kk);
            ReadOnlySpan<TVec> q = _query.AsSpan(l * k, k);
            bool hasSBar = l + 1 < _layers;
            // Ā = q̄ qᵀ (+ (S̄ + S̄ᵀ) U when S was propagated).
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) _bar[i * k + j] = TOps.Mul(_qBar[i], q[j]);
            if (hasSBar)
            {
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++) _sym[i * k + j] = TOps.Add(_sBar[i * k + j], _sBar[j * k + i]);
                MultiplyAccumulate(_sym, _u.AsSpan(l * kk, kk), _bar);
            }
            if (l > 0)
            {
                MultiplyTransposedVector(a, _qBar, _qBarNext);                 // q̄ ← Aᵀ q̄
                if (hasSBar)
                {
                    Multiply(_sBar, a, _tmp);                                 // S̄ A
                    MultiplyTransposeLeft(a, _tmp, _sBarNext);                // Aᵀ (S̄ A)
                }
                else
                {
                    Array.Clear(_sBarNext);
                }
            }
            for (int i = 0; i < kk; i++) _bar[i] = TOps.Mul(_bar[i], inverseCount);   // M̄ = Ā / n
            for (int h = 0; h < _heads; h++)
            {
                int offset = (l * _heads + h) * kk;
                ReadOnlySpan<TVec> p = _p.AsSpan(offset, kk), qh = _q.AsSpan(offset, kk);
                MultiplyTransposedAccumulate(_bar, _t.AsSpan(offset, kk), _gradP.AsSpan(offset, kk));   // P̄ += M̄ Tᵀ
                Multiply(p, s, _v);                                                                   // V = P S
                MultiplyTransposeLeftAccumulate(_bar, _v, _gradQ.AsSpan(offset, kk));                 // Q̄ += M̄ᵀ V
                if (l > 0)
                {
                    Multiply(_bar, qh, _w);                                                           // W = M̄ Q
                    MultiplyTransposeLeftAccumulate(p, _w, _sBarNext);                                // S̄ += Pᵀ W
                }
            }
            if (l > 0)
            {
                _qBarNext.AsSpan().CopyTo(_qBar);
                _sBarNext.AsSpan().CopyTo(_sBar);
            }
        }
    }

    // C = A B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Multiply(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                TVec acc = TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, m * k + j), acc);
                Unsafe.Add(ref rc, i * k + j) = acc;
            }
    }

    // C += A B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyAccumulate(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                TVec acc = Unsafe.Add(ref rc, i * k + j);
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, m * k + j), acc);
                Unsafe.Add(ref rc, i * k + j) = acc;
            }
    }

    // C = A Bᵀ
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyTransposed(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                TVec acc = TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, j * k + m), acc);
                Unsafe.Add(ref rc, i * k + j) = acc;
            }
    }

    // C += A Bᵀ
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyTransposedAccumulate(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                TVec acc = Unsafe.Add(ref rc, i * k + j);
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, j * k + m), acc);
                Unsafe.Add(ref rc, i * k + j) = acc;
            }
    }

    // C = A Bᵀ where the result is known to be symmetric: the upper triangle is computed and mirrored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyTransposedSymmetric(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
            for (int j = i; j < k; j++)
            {
                TVec acc = TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, j * k + m), acc);
                Unsafe.Add(ref rc, i * k + j) = acc;
                Unsafe.Add(ref rc, j * k + i) = acc;
            }
    }

    // C = Aᵀ B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyTransposeLeft(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                TVec acc = TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, m * k + i), Unsafe.Add(ref rb, m * k + j), acc);
                Unsafe.Add(ref rc, i * k + j) = acc;
            }
    }

    // C += Aᵀ B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyTransposeLeftAccumulate(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                TVec acc = Unsafe.Add(ref rc, i * k + j);
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, m * k + i), Unsafe.Add(ref rb, m * k + j), acc);
                Unsafe.Add(ref rc, i * k + j) = acc;
            }
    }

    // y = A x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyVector(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rx = ref MemoryMarshal.GetReference(x);
        ref TVec ry = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < k; i++)
        {
            TVec acc = TOps.Zero;
            for (int j = 0; j < k; j++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + j), Unsafe.Add(ref rx, j), acc);
            Unsafe.Add(ref ry, i) = acc;
        }
    }

    // y = Aᵀ x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyTransposedVector(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
    {
        int k = _k;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rx = ref MemoryMarshal.GetReference(x);
        ref TVec ry = ref MemoryMarshal.GetReference(y);
        for (int j = 0; j < k; j++)
        {
            TVec acc = TOps.Zero;
            for (int i = 0; i < k; i++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + j), Unsafe.Add(ref rx, i), acc);
            Unsafe.Add(ref ry, j) = acc;
        }
    }
}
