using LinAttn.Engine.Simd;

namespace LinAttn.Engine;

/// <summary>
/// The optional trainable feature MLP of <see cref="Model.ModelOptions.FeatureMlpWidth"/> for one block of prompts,
/// one prompt per lane: x ← W₂ ReLU(W₁ x + b₁) + b₂ on the x-part of every token (context and query), the y entry
/// kept. Forward maps the block's raw tokens to the feature tokens the S-form starts from; backward takes the
/// gradients of the loss with respect to S₀ and the query token and accumulates the MLP's parameter gradients.
/// </summary>
/// <remarks>
/// θ layout of the MLP part (after the attention parameters): W₁ [h, d], b₁ [h], W₂ [d, h], b₂ [d], row-major.
/// With S₀ = Σ_{t &lt; n} z_t z_tᵀ and S̄ = ∂loss/∂S₀ (a full matrix), ∂loss/∂z_t = (S̄ + S̄ᵀ) z_t for a context token
/// and q̄ for the query. Padded context tokens (t ≥ n_b) are zeroed after the MLP, so they add nothing to S₀ and,
/// their features being zero, receive no gradient.
/// </remarks>
internal sealed class FeatureMlp<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly int _d, _k, _h;
    private readonly LaneBuffer<TVec> _weights;    // broadcast parameters, θ's MLP layout: W₁, b₁, W₂, b₂
    private readonly LaneBuffer<TVec> _gradients;  // lane-wise gradient accumulators, same layout
    private readonly LaneBuffer<TVec> _sym, _g, _hBar;
    private LaneBuffer<TVec> _x = LaneBuffer<TVec>.Allocate(0);         // [(n+1)·d]: raw x of the block's tokens
    private LaneBuffer<TVec> _hidden = LaneBuffer<TVec>.Allocate(0);    // [(n+1)·h]: ReLU(W₁ x + b₁)
    private LaneBuffer<TVec> _features = LaneBuffer<TVec>.Allocate(0);  // [(n+1)·k]: (features, y)
    private int _tokens;

    public FeatureMlp(int dimension, int width)
    {
        _d = dimension;
        _k = dimension + 1;
        _h = width;
        _weights = LaneBuffer<TVec>.Allocate(ParameterCount);
        _gradients = LaneBuffer<TVec>.Allocate(ParameterCount);
        _sym = LaneBuffer<TVec>.Allocate(_k * _k);
        _g = LaneBuffer<TVec>.Allocate(_d);
        _hBar = LaneBuffer<TVec>.Allocate(_h);
    }

    /// <summary>Number of MLP parameters: 2·h·d + h + d.</summary>
    public int ParameterCount => 2 * _h * _d + _h + _d;

    /// <summary>Broadcasts the MLP part of θ (layout in the remarks) into the lanes.</summary>
    public void SetParameters(ReadOnlySpan<double> mlp)
    {
        for (int i = 0; i < _weights.Length; i++) _weights[i] = TOps.Broadcast(TOps.FromDouble(mlp[i]));
    }

    public void ClearGradients() => _gradients.Clear();

    /// <summary>Adds the lane sums of the accumulators into <paramref name="gradient"/> (the MLP part of θ's layout).</summary>
    public void AddGradientsTo(Span<double> gradient)
    {
        for (int i = 0; i < _gradients.Length; i++) gradient[i] += LaneMatrix<TOps, TVec, T>.SumLanes(ref _gradients[i]);
    }

    // The parts of a buffer in θ's MLP layout: W₁ [h, d], b₁ [h], W₂ [d, h], b₂ [d].
    private Span<TVec> W1(LaneBuffer<TVec> buffer) => buffer.AsSpan(0, _h * _d);

    private Span<TVec> B1(LaneBuffer<TVec> buffer) => buffer.AsSpan(_h * _d, _h);

    private Span<TVec> W2(LaneBuffer<TVec> buffer) => buffer.AsSpan(_h * _d + _h, _d * _h);

    private Span<TVec> B2(LaneBuffer<TVec> buffer) => buffer.AsSpan(2 * _h * _d + _h, _d);

    /// <summary>
    /// The feature tokens of the block: for each of the n + 1 tokens, (W₂ ReLU(W₁ x + b₁) + b₂, y). Context token t
    /// is multiplied by <paramref name="contextMasks"/>[t] (1 where t &lt; n_b, 0 on padding) when masks are given.
    /// The result stays valid, and is what <see cref="Backward"/> differentiates, until the next call.
    /// </summary>
    public ReadOnlySpan<TVec> Forward(ReadOnlySpan<TVec> tokens, int n, ReadOnlySpan<TVec> contextMasks)
    {
        int d = _d, k = _k, h = _h;
        _tokens = n + 1;
        if (_features.Length < _tokens * k)
        {
            _x = LaneBuffer<TVec>.Allocate(_tokens * d);
            _hidden = LaneBuffer<TVec>.Allocate(_tokens * h);
            _features = LaneBuffer<TVec>.Allocate(_tokens * k);
        }
        Span<TVec> x = _x.AsSpan(), hidden = _hidden.AsSpan(), features = _features.AsSpan();
        ReadOnlySpan<TVec> w1 = W1(_weights), b1 = B1(_weights), w2 = W2(_weights), b2 = B2(_weights);
        for (int t = 0; t < _tokens; t++)
        {
            ReadOnlySpan<TVec> z = tokens.Slice(t * k, k);
            Span<TVec> xt = x.Slice(t * d, d), ht = hidden.Slice(t * h, h), ft = features.Slice(t * k, k);
            z[..d].CopyTo(xt);
            for (int j = 0; j < h; j++)
            {
                TVec pre = b1[j];
                for (int c = 0; c < d; c++) pre = TOps.MulAdd(w1[j * d + c], xt[c], pre);
                ht[j] = TOps.Max(pre, TOps.Zero);
            }
            for (int i = 0; i < d; i++)
            {
                TVec f = b2[i];
                for (int j = 0; j < h; j++) f = TOps.MulAdd(w2[i * h + j], ht[j], f);
                ft[i] = f;
            }
            ft[d] = z[d];
            if (t < n && !contextMasks.IsEmpty)
                for (int i = 0; i < k; i++) ft[i] = TOps.Mul(ft[i], contextMasks[t]);
        }
        return features[..(_tokens * k)];
    }

    /// <summary>Accumulates the MLP gradients of the block last passed to <see cref="Forward"/>, given
    /// <paramref name="sBar"/> = ∂loss/∂S₀ (k×k) and <paramref name="queryBar"/> = ∂loss/∂z_q (k).</summary>
    public void Backward(ReadOnlySpan<TVec> sBar, ReadOnlySpan<TVec> queryBar)
    {
        int d = _d, k = _k, h = _h, n = _tokens - 1;
        Span<TVec> sym = _sym.AsSpan(), g = _g.AsSpan(), hBar = _hBar.AsSpan();
        for (int i = 0; i < d; i++)
            for (int j = 0; j < k; j++) sym[i * k + j] = TOps.Add(sBar[i * k + j], sBar[j * k + i]);
        ReadOnlySpan<TVec> x = _x.AsSpan(), hidden = _hidden.AsSpan(), features = _features.AsSpan(), w2 = W2(_weights);
        Span<TVec> gw1 = W1(_gradients), gb1 = B1(_gradients), gw2 = W2(_gradients), gb2 = B2(_gradients);
        for (int t = 0; t <= n; t++)
        {
            ReadOnlySpan<TVec> ft = features.Slice(t * k, k), ht = hidden.Slice(t * h, h), xt = x.Slice(t * d, d);
            for (int i = 0; i < d; i++)
            {
                if (t == n)
                {
                    g[i] = queryBar[i];
                    continue;
                }
                TVec sum = TOps.Zero;
                for (int j = 0; j < k; j++) sum = TOps.MulAdd(sym[i * k + j], ft[j], sum);
                g[i] = sum;
            }
            for (int j = 0; j < h; j++) hBar[j] = TOps.Zero;
            for (int i = 0; i < d; i++)
            {
                TVec gi = g[i];
                gb2[i] = TOps.Add(gb2[i], gi);
                for (int j = 0; j < h; j++)
                {
                    gw2[i * h + j] = TOps.MulAdd(gi, ht[j], gw2[i * h + j]);
                    hBar[j] = TOps.MulAdd(w2[i * h + j], gi, hBar[j]);
                }
            }
            for (int j = 0; j < h; j++)
            {
                TVec hj = TOps.WherePositive(ht[j], hBar[j]);   // ReLU′: 1 where the pre-activation was > 0
                gb1[j] = TOps.Add(gb1[j], hj);
                for (int c = 0; c < d; c++) gw1[j * d + c] = TOps.MulAdd(hj, xt[c], gw1[j * d + c]);
            }
        }
    }
}
