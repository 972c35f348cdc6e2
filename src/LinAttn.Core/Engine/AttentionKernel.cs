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
internal sealed class AttentionKernel<TOps, TVec, T> : FullMatrixKernel<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly int _k, _kk, _layers, _heads, _d;
    private readonly bool _inputGradients;
    private readonly LaneBuffer<TVec> _s, _a, _u, _t, _query;  // saved forward state
    private readonly LaneBuffer<TVec> _m, _bar, _sym, _sBar, _sBarNext, _tmp, _v, _w, _qBar, _qBarNext;

    /// <param name="dimension">d.</param>
    /// <param name="layers">L.</param>
    /// <param name="heads">H.</param>
    /// <param name="inputGradients">Also propagate the backward pass through layer 0, so that <see cref="InputGradientS"/>
    /// and <see cref="InputGradientQuery"/> hold ∂loss/∂S₀ and ∂loss/∂z_q (a feature MLP needs them).</param>
    public AttentionKernel(int dimension, int layers, int heads, bool inputGradients = false)
        : base(layers * heads * (dimension + 1) * (dimension + 1))
    {
        _inputGradients = inputGradients;
        _d = dimension;
        _k = dimension + 1;
        _kk = _k * _k;
        _layers = layers;
        _heads = heads;
        int parameterMatrices = layers * heads * _kk;
        _s = LaneBuffer<TVec>.Allocate(layers * _kk);
        _a = LaneBuffer<TVec>.Allocate(layers * _kk);
        _u = LaneBuffer<TVec>.Allocate(layers * _kk);
        _t = LaneBuffer<TVec>.Allocate(parameterMatrices);
        _query = LaneBuffer<TVec>.Allocate((layers + 1) * _k);
        _m = LaneBuffer<TVec>.Allocate(_kk);
        _bar = LaneBuffer<TVec>.Allocate(_kk);
        _sym = LaneBuffer<TVec>.Allocate(_kk);
        _sBar = LaneBuffer<TVec>.Allocate(_kk);
        _sBarNext = LaneBuffer<TVec>.Allocate(_kk);
        _tmp = LaneBuffer<TVec>.Allocate(_kk);
        _v = LaneBuffer<TVec>.Allocate(_kk);
        _w = LaneBuffer<TVec>.Allocate(_kk);
        _qBar = LaneBuffer<TVec>.Allocate(_k);
        _qBarNext = LaneBuffer<TVec>.Allocate(_k);
    }

    /// <summary>After <see cref="Backward"/> with input gradients on: ∂loss/∂S₀ (k×k, not symmetrised).</summary>
    public ReadOnlySpan<TVec> InputGradientS => _sBar.AsSpan();

    /// <summary>After <see cref="Backward"/> with input gradients on: ∂loss/∂z_q (k).</summary>
    public ReadOnlySpan<TVec> InputGradientQuery => _qBar.AsSpan();

    /// <inheritdoc />
    public override TVec Forward(PromptBlock<TOps, TVec, T> block, int fromLayer = 0)
    {
        int k = _k, kk = _kk;
        if (fromLayer == 0)
        {
            block.S0.AsSpan().CopyTo(_s.AsSpan(0, kk));
            block.Query.AsSpan().CopyTo(_query.AsSpan(0, k));
        }
        for (int l = fromLayer; l < _layers; l++)
        {
            Span<TVec> s = _s.AsSpan(l * kk, kk), a = _a.AsSpan(l * kk, kk);
            _m.Clear();
            for (int h = 0; h < _heads; h++)
            {
                int offset = (l * _heads + h) * kk;
                Span<TVec> t = _t.AsSpan(offset, kk);
                LaneMatrix<TOps, TVec, T>.MultiplyTransposed(k, s, _q.AsSpan(offset, kk), t);              // T = S Qᵀ
                LaneMatrix<TOps, TVec, T>.MultiplyAccumulate(k, _p.AsSpan(offset, kk), t, _m);             // M += P T
            }
            for (int i = 0; i < kk; i++) a[i] = TOps.Mul(_m[i], block.InverseCount);
            for (int i = 0; i < k; i++) a[i * k + i] = TOps.Add(a[i * k + i], TOps.Broadcast(TOps.FromDouble(1)));
            LaneMatrix<TOps, TVec, T>.MultiplyVector(k, a, _query.AsSpan(l * k, k), _query.AsSpan((l + 1) * k, k));   // q ← A q
            if (l + 1 < _layers)
            {
                Span<TVec> u = _u.AsSpan(l * kk, kk);
                LaneMatrix<TOps, TVec, T>.Multiply(k, a, s, u);                                            // U = A S
                LaneMatrix<TOps, TVec, T>.MultiplyTransposedSymmetric(k, u, a, _s.AsSpan((l + 1) * kk, kk));  // S' = U Aᵀ
            }
        }
        return TOps.Sub(TOps.Zero, _query[_layers * k + _d]);
    }

    /// <inheritdoc />
    public override void Backward(PromptBlock<TOps, TVec, T> block, TVec predictionGradient, int downToLayer = 0)
    {
        int k = _k, kk = _kk;
        _qBar.Clear();
        _qBar[_d] = TOps.Sub(TOps.Zero, predictionGradient);
        _sBar.Clear();
        TVec inverseCount = block.InverseCount;
        for (int l = _layers - 1; l >= downToLayer; l--)
        {
            Span<TVec> s = _s.AsSpan(l * kk, kk), a = _a.AsSpan(l * kk, kk);
            ReadOnlySpan<TVec> q = _query.AsSpan(l * k, k);
            bool hasSBar = l + 1 < _layers;
            bool propagate = l > downToLayer || _inputGradients;   // the adjoints of the layer below (or of the inputs)
            // Ā = q̄ qᵀ (+ (S̄ + S̄ᵀ) U when S was propagated).
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) _bar[i * k + j] = TOps.Mul(_qBar[i], q[j]);
            if (hasSBar)
            {
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++) _sym[i * k + j] = TOps.Add(_sBar[i * k + j], _sBar[j * k + i]);
                LaneMatrix<TOps, TVec, T>.MultiplyAccumulate(k, _sym, _u.AsSpan(l * kk, kk), _bar);
            }
            if (propagate)
            {
                LaneMatrix<TOps, TVec, T>.MultiplyTransposedVector(k, a, _qBar, _qBarNext);                 // q̄ ← Aᵀ q̄
                if (hasSBar)
                {
                    LaneMatrix<TOps, TVec, T>.Multiply(k, _sBar, a, _tmp);                                 // S̄ A
                    LaneMatrix<TOps, TVec, T>.MultiplyTransposeLeft(k, a, _tmp, _sBarNext);                // Aᵀ (S̄ A)
                }
                else
                {
                    _sBarNext.Clear();
                }
            }
            for (int i = 0; i < kk; i++) _bar[i] = TOps.Mul(_bar[i], inverseCount);   // M̄ = Ā / n
            for (int h = 0; h < _heads; h++)
            {
                int offset = (l * _heads + h) * kk;
                ReadOnlySpan<TVec> p = _p.AsSpan(offset, kk), qh = _q.AsSpan(offset, kk);
                LaneMatrix<TOps, TVec, T>.MultiplyTransposedAccumulate(k, _bar, _t.AsSpan(offset, kk), _gradP.AsSpan(offset, kk));   // P̄ += M̄ Tᵀ
                LaneMatrix<TOps, TVec, T>.Multiply(k, p, s, _v);                                                                   // V = P S
                LaneMatrix<TOps, TVec, T>.MultiplyTransposeLeftAccumulate(k, _bar, _v, _gradQ.AsSpan(offset, kk));                 // Q̄ += M̄ᵀ V
                if (propagate)
                {
                    LaneMatrix<TOps, TVec, T>.Multiply(k, _bar, qh, _w);                                                           // W = M̄ Q
                    LaneMatrix<TOps, TVec, T>.MultiplyTransposeLeftAccumulate(k, p, _w, _sBarNext);                                // S̄ += Pᵀ W
                }
            }
            if (propagate)
            {
                _qBarNext.AsSpan().CopyTo(_qBar);
                _sBarNext.AsSpan().CopyTo(_sBar);
            }
        }
    }
}
