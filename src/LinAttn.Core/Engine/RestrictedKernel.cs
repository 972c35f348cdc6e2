using LinAttn.Engine.Simd;

namespace LinAttn.Engine;

/// <summary>
/// Forward and backward for the Restricted and PreconditionedGd parametrisations, using their structure: with
/// P_full = [[P, 0], [0, 1]] and Q_full = [[Q, 0], [0, 0]] only S_xx = Σ x_i x_iᵀ (d×d), v = Σ y_i x_i, x_q and y_q are
/// carried (PAPER.md 1.6), all d×d instead of (d+1)×(d+1), about 1.75× fewer operations than the general kernel.
/// </summary>
/// <remarks>
/// Per layer: u = (1/n) Σ_h Q_h v; y_q ← y_q + u·x_q; A = I + (1/n) Σ_h P_h S_xx Q_hᵀ (A = I for PreconditionedGd);
/// x_q ← A x_q; w = S_xx u + v; v ← A w; S_xx ← A S_xx Aᵀ. The prediction is −y_q. The backward pass is the adjoint of
/// these steps in reverse order (see the comments in <see cref="Backward"/>).
/// </remarks>
internal sealed class RestrictedKernel<TOps, TVec, T> : KernelBase<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly int _d, _dd, _k, _layers, _heads;
    private readonly bool _hasP;
    private readonly LaneBuffer<TVec> _s, _v, _x, _a, _uState, _wState, _sa, _t;  // saved forward state
    private readonly LaneBuffer<TVec> _y;                                         // y_q entering each layer
    private readonly LaneBuffer<TVec> _uBar, _wBar, _aBar, _sym, _tmp, _mat;
    private LaneBuffer<TVec> _xBar, _xBarNext, _vBar, _vBarNext, _sBar, _sBarNext;   // swapped between layers

    public RestrictedKernel(int dimension, int layers, int heads, bool hasP)
        : base(layers * heads * dimension * dimension)   // P, Q and their gradients: [L, H, d, d]
    {
        _d = dimension;
        _dd = dimension * dimension;
        _k = dimension + 1;
        _layers = layers;
        _heads = heads;
        _hasP = hasP;
        int parameters = layers * heads * _dd;
        _t = LaneBuffer<TVec>.Allocate(parameters);
        _s = LaneBuffer<TVec>.Allocate(layers * _dd);
        _a = LaneBuffer<TVec>.Allocate(layers * _dd);
        _sa = LaneBuffer<TVec>.Allocate(layers * _dd);
        _v = LaneBuffer<TVec>.Allocate(layers * _d);
        _x = LaneBuffer<TVec>.Allocate((layers + 1) * _d);
        _y = LaneBuffer<TVec>.Allocate(layers);
        _uState = LaneBuffer<TVec>.Allocate(layers * _d);
        _wState = LaneBuffer<TVec>.Allocate(layers * _d);
        _xBar = LaneBuffer<TVec>.Allocate(_d);
        _xBarNext = LaneBuffer<TVec>.Allocate(_d);
        _vBar = LaneBuffer<TVec>.Allocate(_d);
        _vBarNext = LaneBuffer<TVec>.Allocate(_d);
        _uBar = LaneBuffer<TVec>.Allocate(_d);
        _wBar = LaneBuffer<TVec>.Allocate(_d);
        _aBar = LaneBuffer<TVec>.Allocate(_dd);
        _sBar = LaneBuffer<TVec>.Allocate(_dd);
        _sBarNext = LaneBuffer<TVec>.Allocate(_dd);
        _sym = LaneBuffer<TVec>.Allocate(_dd);
        _tmp = LaneBuffer<TVec>.Allocate(_dd);
        _mat = LaneBuffer<TVec>.Allocate(_dd);
    }

    /// <inheritdoc />
    public override void SetParameters(ReadOnlySpan<double> pFull, ReadOnlySpan<double> qFull)
    {
        int kk = _k * _k;
        for (int lh = 0; lh < _layers * _heads; lh++)
            for (int r = 0; r < _d; r++)
                for (int c = 0; c < _d; c++)
                {
                    _p[lh * _dd + r * _d + c] = TOps.Broadcast(TOps.FromDouble(pFull[lh * kk + r * _k + c]));
                    _q[lh * _dd + r * _d + c] = TOps.Broadcast(TOps.FromDouble(qFull[lh * kk + r * _k + c]));
                }
    }

    /// <inheritdoc />
    public override void SetEntry(int matrix, int fullIndex, double value)
    {
        int kk = _k * _k, lh = fullIndex / kk, r = fullIndex % kk / _k, c = fullIndex % _k;
        if (r < _d && c < _d) (matrix == 0 ? _p : _q)[lh * _dd + r * _d + c] = TOps.Broadcast(TOps.FromDouble(value));
    }

    /// <inheritdoc />
    public override void AddGradientsTo(Span<double> gradP, Span<double> gradQ)
    {
        int kk = _k * _k;
        SumGradientLanes();
        for (int lh = 0; lh < _layers * _heads; lh++)
            for (int r = 0; r < _d; r++)
                for (int c = 0; c < _d; c++)
                {
                    int source = lh * _dd + r * _d + c, target = lh * kk + r * _k + c;
                    gradP[target] += _sumsP[source];
                    gradQ[target] += _sumsQ[source];
                }
    }

    /// <inheritdoc />
    public override TVec Forward(PromptBlock<TOps, TVec, T> block, int fromLayer = 0)
    {
        int d = _d, dd = _dd, k = _k;
        if (fromLayer == 0)
        {
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++) _s[r * d + c] = block.S0[r * k + c];
                _v[r] = block.S0[r * k + d];
                _x[r] = block.Query[r];
            }
        }
        TVec y = fromLayer == 0 ? block.Query[d] : _y[fromLayer];
        TVec inverseCount = block.InverseCount;
        for (int l = fromLayer; l < _layers; l++)
        {
            _y[l] = y;
            Span<TVec> s = _s.AsSpan(l * dd, dd), v = _v.AsSpan(l * d, d), x = _x.AsSpan(l * d, d), xNext = _x.AsSpan((l + 1) * d, d);
            Span<TVec> u = _uState.AsSpan(l * d, d), a = _a.AsSpan(l * dd, dd);
            LaneMatrix<TOps, TVec, T>.MultiplyVector(d, _q.AsSpan(l * _heads * dd, dd), v, u);
            for (int h = 1; h < _heads; h++) LaneMatrix<TOps, TVec, T>.MultiplyVectorAccumulate(d, _q.AsSpan((l * _heads + h) * dd, dd), v, u);
            LaneMatrix<TOps, TVec, T>.Scale(u, inverseCount);                                                // u = (1/n) Σ Q_h v
            y = TOps.Add(y, LaneMatrix<TOps, TVec, T>.Dot(d, u, x));                                         // y_q += u·x_q
            if (l + 1 == _layers) break;        // after the last layer only y_q is read: A, x_q, v, S_xx are not needed
            if (_hasP)
            {
                for (int h = 0; h < _heads; h++)
                {
                    int offset = (l * _heads + h) * dd;
                    Span<TVec> t = _t.AsSpan(offset, dd);
                    LaneMatrix<TOps, TVec, T>.MultiplyTransposed(d, s, _q.AsSpan(offset, dd), t);            // T_h = S_xx Q_hᵀ
                    if (h == 0) LaneMatrix<TOps, TVec, T>.Multiply(d, _p.AsSpan(offset, dd), t, _mat);       // M = P_0 T_0
                    else LaneMatrix<TOps, TVec, T>.MultiplyAccumulate(d, _p.AsSpan(offset, dd), t, _mat);    // M += P_h T_h
                }
                for (int i = 0; i < dd; i++) a[i] = TOps.Mul(_mat[i], inverseCount);
                for (int i = 0; i < d; i++) a[i * d + i] = TOps.Add(a[i * d + i], TOps.Broadcast(TOps.FromDouble(1)));
                LaneMatrix<TOps, TVec, T>.MultiplyVector(d, a, x, xNext);                                    // x_q ← A x_q
            }
            else
            {
                x.CopyTo(xNext);
            }
            {
                Span<TVec> w = _wState.AsSpan(l * d, d), vNext = _v.AsSpan((l + 1) * d, d), sNext = _s.AsSpan((l + 1) * dd, dd);
                v.CopyTo(w);
                LaneMatrix<TOps, TVec, T>.MultiplyVectorAccumulate(d, s, u, w);                              // w = S_xx u + v
                if (_hasP)
                {
                    LaneMatrix<TOps, TVec, T>.MultiplyVector(d, a, w, vNext);                                // v ← A w
                    Span<TVec> sa = _sa.AsSpan(l * dd, dd);
                    LaneMatrix<TOps, TVec, T>.Multiply(d, a, s, sa);                                         // A S_xx
                    LaneMatrix<TOps, TVec, T>.MultiplyTransposedSymmetric(d, sa, a, sNext);                  // S_xx ← (A S_xx) Aᵀ
                }
                else
                {
                    w.CopyTo(vNext);
                    s.CopyTo(sNext);
                }
            }
        }
        return TOps.Sub(TOps.Zero, y);
    }

    /// <inheritdoc />
    public override void Backward(PromptBlock<TOps, TVec, T> block, TVec predictionGradient, int downToLayer = 0)
    {
        int d = _d, dd = _dd;
        TVec yBar = TOps.Sub(TOps.Zero, predictionGradient);   // ŷ = −y_q; ȳ is the same at every layer
        TVec inverseCount = block.InverseCount;
        _xBar.Clear();
        _vBar.Clear();
        _sBar.Clear();
        for (int l = _layers - 1; l >= downToLayer; l--)
        {
            bool top = l + 1 == _layers, bottom = l == downToLayer;
            Span<TVec> s = _s.AsSpan(l * dd, dd), v = _v.AsSpan(l * d, d), x = _x.AsSpan(l * d, d);
            Span<TVec> u = _uState.AsSpan(l * d, d), a = _a.AsSpan(l * dd, dd);
            // y_q' = y_q + u·x_q: ū = ȳ x_q, x̄ += ȳ u.
            for (int i = 0; i < d; i++)
            {
                _uBar[i] = TOps.Mul(yBar, x[i]);
                _xBarNext[i] = TOps.Mul(yBar, u[i]);
            }
            // x_q' = A x_q: Ā = x̄' x_qᵀ, x̄ += Aᵀ x̄'. At the top layer x̄' = 0 (ŷ reads only y_q), so Ā = 0 there.
            bool useA = _hasP && !top;
            if (useA)
            {
                // Ā = x̄' x_qᵀ + v̄' wᵀ is formed below in one pass (OuterPair), where v' = A w is differentiated.
                if (!bottom) LaneMatrix<TOps, TVec, T>.MultiplyTransposedVectorAccumulate(d, a, _xBar, _xBarNext);
            }
            else if (!bottom)
            {
                for (int i = 0; i < d; i++) _xBarNext[i] = TOps.Add(_xBarNext[i], _xBar[i]);
            }
            // v̄ and S̄ of the layer below start at zero only at the top layer; below it they are first overwritten.
            if (top && !bottom)
            {
                _vBarNext.Clear();
                _sBarNext.Clear();
            }
            if (!top)
            {
                Span<TVec> w = _wState.AsSpan(l * d, d);
                // v' = A w: Ā += v̄' wᵀ, w̄ = Aᵀ v̄'.
                if (_hasP)
                {
                    LaneMatrix<TOps, TVec, T>.OuterPair(d, _xBar, x, _vBar, w, _aBar);                     // Ā = x̄' x_qᵀ + v̄' wᵀ
                    LaneMatrix<TOps, TVec, T>.MultiplyTransposedVector(d, a, _vBar, _wBar);
                    // S_xx' = A S_xx Aᵀ: Ā += (S̄' + S̄'ᵀ)(A S_xx), S̄ += Aᵀ S̄' A.
                    for (int i = 0; i < d; i++)
                        for (int j = 0; j < d; j++) _sym[i * d + j] = TOps.Add(_sBar[i * d + j], _sBar[j * d + i]);
                    LaneMatrix<TOps, TVec, T>.MultiplyAccumulate(d, _sym, _sa.AsSpan(l * dd, dd), _aBar);
                    if (!bottom)
                    {
                        LaneMatrix<TOps, TVec, T>.Multiply(d, _sBar, a, _tmp);
                        LaneMatrix<TOps, TVec, T>.MultiplyTransposeLeft(d, a, _tmp, _sBarNext);
                    }
                }
                else
                {
                    _vBar.AsSpan().CopyTo(_wBar);
                    if (!bottom) _sBar.AsSpan().CopyTo(_sBarNext);
                }
                // w = S_xx u + v: S̄ += w̄ uᵀ, ū += S_xx w̄, v̄ += w̄.
                if (!bottom)
                {
                    LaneMatrix<TOps, TVec, T>.OuterAccumulate(d, _wBar, u, _sBarNext);
                    _wBar.AsSpan().CopyTo(_vBarNext);
                }
                LaneMatrix<TOps, TVec, T>.MultiplyVectorAccumulate(d, s, _wBar, _uBar);
            }
            // u = (1/n) Σ_h Q_h v: Q̄_h += (ū/n) vᵀ, v̄ += Σ_h Q_hᵀ (ū/n).
            LaneMatrix<TOps, TVec, T>.Scale(_uBar, inverseCount);
            for (int h = 0; h < _heads; h++)
            {
                int offset = (l * _heads + h) * dd;
                LaneMatrix<TOps, TVec, T>.OuterAccumulate(d, _uBar, v, _gradQ.AsSpan(offset, dd));
                if (!bottom) LaneMatrix<TOps, TVec, T>.MultiplyTransposedVectorAccumulate(d, _q.AsSpan(offset, dd), _uBar, _vBarNext);
            }
            // A = I + (1/n) Σ_h P_h S_xx Q_hᵀ: M̄ = Ā/n; P̄_h += M̄ T_hᵀ; Q̄_h += M̄ᵀ P_h S_xx; S̄ += P_hᵀ M̄ Q_h.
            if (useA)
            {
                LaneMatrix<TOps, TVec, T>.Scale(_aBar, inverseCount);
                for (int h = 0; h < _heads; h++)
                {
                    int offset = (l * _heads + h) * dd;
                    ReadOnlySpan<TVec> p = _p.AsSpan(offset, dd), qh = _q.AsSpan(offset, dd);
                    LaneMatrix<TOps, TVec, T>.MultiplyTransposedAccumulate(d, _aBar, _t.AsSpan(offset, dd), _gradP.AsSpan(offset, dd));
                    LaneMatrix<TOps, TVec, T>.Multiply(d, p, s, _tmp);
                    LaneMatrix<TOps, TVec, T>.MultiplyTransposeLeftAccumulate(d, _aBar, _tmp, _gradQ.AsSpan(offset, dd));
                    if (!bottom)
                    {
                        LaneMatrix<TOps, TVec, T>.Multiply(d, _aBar, qh, _mat);
                        LaneMatrix<TOps, TVec, T>.MultiplyTransposeLeftAccumulate(d, p, _mat, _sBarNext);
                    }
                }
            }
            if (!bottom)
            {
                (_xBar, _xBarNext) = (_xBarNext, _xBar);
                (_vBar, _vBarNext) = (_vBarNext, _vBar);
                (_sBar, _sBarNext) = (_sBarNext, _sBar);
            }
        }
    }
}
