using System.Runtime.CompilerServices;
using LinAttn.Engine.Simd;
using LinAttn.Model;

namespace LinAttn.Engine;

/// <summary>
/// Forward and hand-derived backward of softmax or ReLU attention in the token-level form (explicit n×n scores) for
/// one block of prompts, one prompt per SIMD lane. Parameters are P_full, Q_full ([L, H, k, k], k = d + 1), so every
/// parametrisation runs through it (its fixed entries are set, and their gradients dropped by <see cref="ParameterMap"/>).
/// </summary>
/// <remarks>
/// <para>Tokens z_0 … z_n (the query z_n last); per layer and head, with keys i ≤ n for softmax (the query is in the
/// normalisation, as in the TorchSharp model) and i &lt; n for ReLU: G_i = Q z_i, s_ji = z_j · G_i,
/// a_ji = softmax_i(s_j·) or ReLU(s_ji), zero for padded keys; V_i = P z_i; z_j ← z_j + (1/n) Σ_{i &lt; n} a_ji V_i.
/// ŷ = −z_L[n][d]. The top layer only updates the query row (nothing else reaches ŷ).</para>
/// <para>Backward for ū_j = z̄_j (per head): ā_ji = (1/n) ū_j · V_i, V̄_i += (1/n) a_ji ū_j; softmax
/// s̄_ji = a_ji (ā_ji − Σ_i' a_ji' ā_ji'), ReLU s̄_ji = ā_ji [s_ji &gt; 0]; F_i = Σ_j s̄_ji z_j; then
/// Q̄ += Σ_i F_i z_iᵀ, P̄ += Σ_i V̄_i z_iᵀ and z̄_j += Σ_i s̄_ji G_i, z̄_i += Qᵀ F_i + Pᵀ V̄_i (plus the residual z̄_j).</para>
/// </remarks>
internal sealed class TokenAttentionKernel<TOps, TVec, T> : FullMatrixKernel<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly int _k, _kk, _layers, _heads, _d;
    private readonly bool _softmax;
    private int _tokens = -1;                      // n + 1 the state buffers below are sized for
    private LaneBuffer<TVec> _z, _g, _v, _att;     // saved forward state: tokens entering each layer (and the output), Q z_i, P z_i, a_ji
    private LaneBuffer<TVec> _sBar, _zBar, _zBarNext, _u, _f, _vBar;   // backward scratch (_u: Σ_i a_ji V_i in the forward pass)

    /// <param name="dimension">d.</param>
    /// <param name="layers">L.</param>
    /// <param name="heads">H.</param>
    /// <param name="activation">Softmax or ReLU.</param>
    public TokenAttentionKernel(int dimension, int layers, int heads, ScoreActivation activation)
        : base(layers * heads * (dimension + 1) * (dimension + 1))
    {
        if (activation is not (ScoreActivation.Softmax or ScoreActivation.Relu))
            throw new ArgumentOutOfRangeException(nameof(activation), $"The token-level kernel computes Softmax or Relu scores, not {activation}.");
        _softmax = activation == ScoreActivation.Softmax;
        _d = dimension;
        _k = dimension + 1;
        _kk = _k * _k;
        _layers = layers;
        _heads = heads;
    }

    private void EnsureState(int tokens)
    {
        if (tokens == _tokens) return;
        int k = _k, lh = _layers * _heads;
        _z = LaneBuffer<TVec>.Allocate((_layers + 1) * tokens * k);
        _g = LaneBuffer<TVec>.Allocate(lh * tokens * k);
        _v = LaneBuffer<TVec>.Allocate(lh * tokens * k);
        _att = LaneBuffer<TVec>.Allocate(lh * tokens * tokens);
        _sBar = LaneBuffer<TVec>.Allocate(tokens * tokens);
        _zBar = LaneBuffer<TVec>.Allocate(tokens * k);
        _zBarNext = LaneBuffer<TVec>.Allocate(tokens * k);
        _u = LaneBuffer<TVec>.Allocate(tokens * k);
        _f = LaneBuffer<TVec>.Allocate(tokens * k);
        _vBar = LaneBuffer<TVec>.Allocate(tokens * k);
        _tokens = tokens;
    }

    /// <inheritdoc />
    public override TVec Forward(PromptBlock<TOps, TVec, T> block, int fromLayer = 0)
    {
        int n = block.ContextLength, tokens = n + 1, k = _k, layerSize = tokens * k;
        if (fromLayer == 0)
        {
            EnsureState(tokens);
            block.Tokens.AsSpan(0, layerSize).CopyTo(_z.AsSpan(0, layerSize));
        }
        else if (tokens != _tokens)
        {
            throw new InvalidOperationException("Forward from a layer above 0 needs a full forward pass on a block of the same n first.");
        }
        ReadOnlySpan<TVec> mask = block.KeyMask.AsSpan(0, n);
        int keys = _softmax ? tokens : n;
        for (int l = fromLayer; l < _layers; l++)
        {
            int first = l == _layers - 1 ? n : 0, rows = tokens - first;
            ReadOnlySpan<TVec> z = _z.AsSpan(l * layerSize, layerSize);
            Span<TVec> next = _z.AsSpan((l + 1) * layerSize, layerSize), u = _u.AsSpan(0, layerSize);
            z[(first * k)..].CopyTo(next[(first * k)..]);   // the residual
            for (int h = 0; h < _heads; h++)
            {
                int lh = l * _heads + h;
                Span<TVec> g = _g.AsSpan(lh * layerSize, layerSize), v = _v.AsSpan(lh * layerSize, layerSize);
                Span<TVec> att = _att.AsSpan(lh * tokens * tokens, tokens * tokens);
                Product(keys, k, k, RowMajor(z, k), Transposed(_q.AsSpan(lh * _kk, _kk), k), g, k, false);   // G_i = Q z_i
                Product(n, k, k, RowMajor(z, k), Transposed(_p.AsSpan(lh * _kk, _kk), k), v, k, false);      // V_i = P z_i
                Product(rows, keys, k, RowMajor(z[(first * k)..], k), Transposed(g, k), att[(first * tokens)..], tokens, false);   // s_ji
                for (int j = first; j < tokens; j++)
                {
                    Span<TVec> a = att.Slice(j * tokens, tokens);
                    if (_softmax) Softmax(a, mask, n);
                    else
                        for (int i = 0; i < n; i++) a[i] = TOps.WherePositive(mask[i], TOps.Relu(a[i]));
                }
                Product(rows, k, n, RowMajor(att[(first * tokens)..], tokens), RowMajor(v, k), u[(first * k)..], k, false);   // Σ_i a_ji V_i
                for (int e = first * k; e < layerSize; e++) next[e] = TOps.MulAdd(u[e], block.InverseCount, next[e]);
            }
        }
        return TOps.Sub(TOps.Zero, _z[_layers * layerSize + n * k + _d]);
    }

    /// <inheritdoc />
    public override void Backward(PromptBlock<TOps, TVec, T> block, TVec predictionGradient, int downToLayer = 0)
    {
        int n = block.ContextLength, tokens = n + 1, k = _k, layerSize = tokens * k;
        int keys = _softmax ? tokens : n;
        TVec inverseCount = block.InverseCount;
        _zBar.Clear();
        _zBar[n * k + _d] = TOps.Sub(TOps.Zero, predictionGradient);
        for (int l = _layers - 1; l >= downToLayer; l--)
        {
            int first = l == _layers - 1 ? n : 0, rows = tokens - first;
            bool propagate = l > downToLayer;
            ReadOnlySpan<TVec> z = _z.AsSpan(l * layerSize, layerSize);
            Span<TVec> zBar = _zBar.AsSpan(0, layerSize), zBarNext = _zBarNext.AsSpan(0, layerSize), u = _u.AsSpan(0, layerSize);
            Span<TVec> f = _f.AsSpan(0, layerSize), vBar = _vBar.AsSpan(0, layerSize), sBar = _sBar.AsSpan(0, tokens * tokens);
            if (propagate) zBar.CopyTo(zBarNext);   // the residual
            for (int e = first * k; e < layerSize; e++) u[e] = TOps.Mul(zBar[e], inverseCount);   // ũ_j = ū_j / n
            for (int h = 0; h < _heads; h++)
            {
                int lh = l * _heads + h;
                ReadOnlySpan<TVec> g = _g.AsSpan(lh * layerSize, layerSize), v = _v.AsSpan(lh * layerSize, layerSize);
                ReadOnlySpan<TVec> att = _att.AsSpan(lh * tokens * tokens, tokens * tokens);
                ReadOnlySpan<TVec> q = _q.AsSpan(lh * _kk, _kk), p = _p.AsSpan(lh * _kk, _kk);
                Product(rows, n, k, RowMajor(u[(first * k)..], k), Transposed(v, k), sBar[(first * tokens)..], tokens, false);   // ā_ji = ũ_j · V_i
                Product(n, k, rows, Transposed(att[(first * tokens)..], tokens), RowMajor(u[(first * k)..], k), vBar, k, false);       // V̄_i = Σ_j a_ji ũ_j
                for (int j = first; j < tokens; j++)
                {
                    ReadOnlySpan<TVec> a = att.Slice(j * tokens, tokens);
                    Span<TVec> s = sBar.Slice(j * tokens, tokens);
                    if (_softmax)
                    {
                        TVec dot = TOps.Zero;
                        for (int i = 0; i < n; i++) dot = TOps.MulAdd(a[i], s[i], dot);
                        for (int i = 0; i < n; i++) s[i] = TOps.Mul(a[i], TOps.Sub(s[i], dot));
                        s[n] = TOps.Sub(TOps.Zero, TOps.Mul(a[n], dot));
                    }
                    else
                    {
                        for (int i = 0; i < n; i++) s[i] = TOps.WherePositive(a[i], s[i]);
                    }
                }
                Product(keys, k, rows, Transposed(sBar[(first * tokens)..], tokens), RowMajor(z[(first * k)..], k), f, k, false);    // F_i = Σ_j s̄_ji z_j
                Product(k, k, keys, Transposed(f, k), RowMajor(z, k), _gradQ.AsSpan(lh * _kk, _kk), k, true);                 // Q̄ += Σ_i F_i z_iᵀ
                Product(k, k, n, Transposed(vBar, k), RowMajor(z, k), _gradP.AsSpan(lh * _kk, _kk), k, true);                 // P̄ += Σ_i V̄_i z_iᵀ
                if (propagate)
                {
                    Product(rows, k, keys, RowMajor(sBar[(first * tokens)..], tokens), RowMajor(g, k), zBarNext[(first * k)..], k, true);   // z̄_j += Σ_i s̄_ji G_i
                    Product(keys, k, k, RowMajor(f, k), RowMajor(q, k), zBarNext, k, true);      // z̄_i += Qᵀ F_i
                    Product(n, k, k, RowMajor(vBar, k), RowMajor(p, k), zBarNext, k, true);      // z̄_i += Pᵀ V̄_i
                }
            }
            if (propagate) zBarNext.CopyTo(zBar);
        }
    }

    // Softmax over keys 0 … n (the query key n always counts, context key i only where mask_i = 1), in place.
    private static void Softmax(Span<TVec> scores, ReadOnlySpan<TVec> mask, int n)
    {
        TVec query = scores[n], max = query;
        for (int i = 0; i < n; i++) max = TOps.Max(max, TOps.Add(TOps.WherePositive(mask[i], TOps.Sub(scores[i], query)), query));
        TVec e = TOps.ExpNonPositive(TOps.Sub(query, max)), sum = e;
        scores[n] = e;
        for (int i = 0; i < n; i++)
        {
            e = TOps.WherePositive(mask[i], TOps.ExpNonPositive(TOps.Sub(scores[i], max)));
            scores[i] = e;
            sum = TOps.Add(sum, e);
        }
        TVec inverse = TOps.Divide(TOps.Broadcast(TOps.FromDouble(1.0)), sum);
        for (int i = 0; i <= n; i++) scores[i] = TOps.Mul(scores[i], inverse);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product(int rows, int columns, int inner, StridedOperand<TVec> a, StridedOperand<TVec> b, Span<TVec> c, int cRow, bool accumulate)
        => LaneStridedProduct<TOps, TVec, T>.Multiply(rows, columns, inner, a, b, c, cRow, accumulate);

    private static StridedOperand<TVec> RowMajor(ReadOnlySpan<TVec> data, int width) => StridedOperand<TVec>.RowMajor(data, width);

    private static StridedOperand<TVec> Transposed(ReadOnlySpan<TVec> data, int width) => StridedOperand<TVec>.Transposed(data, width);
}
