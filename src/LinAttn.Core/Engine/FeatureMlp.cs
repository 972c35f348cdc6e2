using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private readonly double[] _sums;               // their lane sums (scratch of AddGradientsTo)
    private readonly LaneBuffer<TVec> _sym;
    private LaneBuffer<TVec> _g = LaneBuffer<TVec>.Allocate(0);         // [(n+1)·d]: ∂loss/∂(features' x-part)
    private LaneBuffer<TVec> _hBar = LaneBuffer<TVec>.Allocate(0);      // [(n+1)·h]: ∂loss/∂(pre-activation)
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
        _sums = new double[ParameterCount];
        _sym = LaneBuffer<TVec>.Allocate(_k * _k);
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
        LaneMatrix<TOps, TVec, T>.SumLanesInto(_gradients, _sums);
        for (int i = 0; i < _gradients.Length; i++) gradient[i] += _sums[i];
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
        int tokenCount = _tokens;
        Span<TVec> x = _x.AsSpan(0, tokenCount * d), hidden = _hidden.AsSpan(0, tokenCount * h), features = _features.AsSpan(0, tokenCount * k);
        ReadOnlySpan<TVec> w1 = W1(_weights), b1 = B1(_weights), w2 = W2(_weights), b2 = B2(_weights);
        for (int t = 0; t < tokenCount; t++)
        {
            tokens.Slice(t * k, d).CopyTo(x.Slice(t * d, d));
            features[t * k + d] = tokens[t * k + d];
        }
        // Each entry starts from its bias and adds the products in ascending order, as a per-token loop would.
        ProductFromBias(tokenCount, h, d, RowMajor(x, d), Transposed(w1, d), b1, hidden, h, relu: true);          // ReLU(W₁ x + b₁)
        ProductFromBias(tokenCount, d, h, RowMajor(hidden, h), Transposed(w2, h), b2, features, k, relu: false);  // W₂ ReLU(·) + b₂
        if (!contextMasks.IsEmpty)
            for (int t = 0; t < n; t++)
                for (int i = 0; i < k; i++) features[t * k + i] = TOps.Mul(features[t * k + i], contextMasks[t]);
        return features[..(_tokens * k)];
    }

    /// <summary>Accumulates the MLP gradients of the block last passed to <see cref="Forward"/>, given
    /// <paramref name="sBar"/> = ∂loss/∂S₀ (k×k) and <paramref name="queryBar"/> = ∂loss/∂z_q (k).</summary>
    public void Backward(ReadOnlySpan<TVec> sBar, ReadOnlySpan<TVec> queryBar)
    {
        int d = _d, k = _k, h = _h, n = _tokens - 1, tokenCount = _tokens;
        EnsureBackwardState(tokenCount);
        Span<TVec> sym = _sym.AsSpan(), g = _g.AsSpan(0, tokenCount * d), hBar = _hBar.AsSpan(0, tokenCount * h);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) sym[i * k + j] = TOps.Add(sBar[i * k + j], sBar[j * k + i]);
        ReadOnlySpan<TVec> x = _x.AsSpan(0, tokenCount * d), hidden = _hidden.AsSpan(0, tokenCount * h), features = _features.AsSpan(0, tokenCount * k);
        ReadOnlySpan<TVec> w2 = W2(_weights);
        Span<TVec> gw1 = W1(_gradients), gb1 = B1(_gradients), gw2 = W2(_gradients), gb2 = B2(_gradients);
        // ∂loss/∂feature: (S̄ + S̄ᵀ) z_t for context tokens (rows 0…d−1 of it), q̄ for the query.
        Product(n, d, k, RowMajor(features, k), Transposed(sym, k), g, d, accumulate: false);
        queryBar[..d].CopyTo(g.Slice(n * d, d));
        for (int t = 0; t < tokenCount; t++)
            for (int i = 0; i < d; i++) gb2[i] = TOps.Add(gb2[i], g[t * d + i]);
        Product(d, h, tokenCount, Transposed(g, d), RowMajor(hidden, h), gw2, h, accumulate: true);   // W̄₂ += Σ_t g_t h_tᵀ
        Product(tokenCount, h, d, RowMajor(g, d), RowMajor(w2, h), hBar, h, accumulate: false);                          // h̄_t = W₂ᵀ g_t
        // ReLU′ (1 where the pre-activation was > 0) and b̄₁ += Σ_t h̄_t in one pass, tokens in ascending order.
        ref TVec hb = ref MemoryMarshal.GetReference(hBar), hd = ref MemoryMarshal.GetReference(hidden), b1 = ref MemoryMarshal.GetReference(gb1);
        for (int t = 0; t < tokenCount; t++)
            for (int j = 0; j < h; j++)
            {
                ref TVec entry = ref Unsafe.Add(ref hb, t * h + j);
                entry = TOps.WherePositive(Unsafe.Add(ref hd, t * h + j), entry);
                Unsafe.Add(ref b1, j) = TOps.Add(Unsafe.Add(ref b1, j), entry);
            }
        Product(h, d, tokenCount, Transposed(hBar, h), RowMajor(x, d), gw1, d, accumulate: true);     // W̄₁ += Σ_t h̄_t x_tᵀ
    }

    private void EnsureBackwardState(int tokens)
    {
        if (_g.Length < tokens * _d) _g = LaneBuffer<TVec>.Allocate(tokens * _d);
        if (_hBar.Length < tokens * _h) _hBar = LaneBuffer<TVec>.Allocate(tokens * _h);
    }

    // C (+)= A B over lane vectors (LaneStridedProduct): with accumulate each entry starts from C's value (a bias or a sum).
    private static void Product(int rows, int columns, int inner, StridedOperand<TVec> a, StridedOperand<TVec> b, Span<TVec> c, int cRow, bool accumulate)
        => LaneStridedProduct<TOps, TVec, T>.Multiply(rows, columns, inner, a, b, c, cRow, accumulate);

    // C = A B + bias (each entry's sum starts from its column's bias), ReLU applied on the way out when asked.
    private static void ProductFromBias(int rows, int columns, int inner, StridedOperand<TVec> a, StridedOperand<TVec> b, ReadOnlySpan<TVec> bias,
        Span<TVec> c, int cRow, bool relu)
        => LaneStridedProduct<TOps, TVec, T>.MultiplyFromBias(rows, columns, inner, a, b, bias, c, cRow, relu);

    private static StridedOperand<TVec> RowMajor(ReadOnlySpan<TVec> data, int width) => StridedOperand<TVec>.RowMajor(data, width);

    private static StridedOperand<TVec> Transposed(ReadOnlySpan<TVec> data, int width) => StridedOperand<TVec>.Transposed(data, width);
}
