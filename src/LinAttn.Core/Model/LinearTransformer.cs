using LinAttn.Internal;
using LinAttn.Random;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LinAttn.Model;

/// <summary>
/// The linear self-attention stack of Ahn et al. (2024), batched over prompts, in TorchSharp.
/// </summary>
/// <remarks>
/// <para>Layout (the authors' code): Z is [B, N + 1, d + 1], rows are tokens, the last row is the query (x_q, 0).</para>
/// <para>Q convention (the authors' code, used everywhere in this library): the score of token j attending to key i is
/// s_ji = z_jᵀ Q z_i, so our Q is the <b>transpose</b> of the paper's Q. One layer updates every token j:
/// z_j ← z_j + Σ_h (1/n) Σ_{i ≤ n} act(s_ji) P_h z_i, where i runs over context tokens only (the query is never a key).
/// The prediction is −[Z_L]_{query, y}.</para>
/// <para>Linear attention (identity activation) uses associativity: Σ_i s_ji P z_i = P S Qᵀ z_j with
/// S = Σ_{i ≤ n} z_i z_iᵀ, so each layer is one linear map A = I + (1/n) Σ_h P_h S Q_hᵀ of all tokens. Only S and the
/// query token are carried through the layers (S ← A S Aᵀ, z_q ← A z_q): a handful of batched matmuls per layer,
/// independent of n. Softmax and ReLU scores use the token-level form.</para>
/// <para>All parameters live in one tensor of shape [L, H, m, k, k] (see <see cref="Parametrization"/>).</para>
/// </remarks>
public sealed class LinearTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Parameter allparam;
    private readonly Tensor _pFixed;   // [k1, k1]: the constant part of P_full (the 1 in the y corner)
    private readonly Tensor _identity; // [k1, k1]
    private readonly Tensor _identityColumn; // [k1, k1, 1]: I broadcast over the batch axis of the S-form
    private readonly ScalarType _dtype;

    /// <summary>Creates a model initialised i.i.d. N(0, <see cref="ModelOptions.InitStd"/>²) from <paramref name="seed"/>.</summary>
    /// <param name="options">The architecture; validated.</param>
    /// <param name="seed">Seed of the initialisation stream (purpose <see cref="StreamPurpose.Initialisation"/>).</param>
    /// <param name="device">Device for parameters; CPU when null.</param>
    public LinearTransformer(ModelOptions options, ulong seed = 0, Device? device = null)
        : this(options, InitialParameters(options, seed), device)
    {
    }

    /// <summary>Creates a model with the given parameter values (layout [L, H, m, k, k], row-major).</summary>
    public LinearTransformer(ModelOptions options, ReadOnlySpan<double> parameters, Device? device = null)
        : base(nameof(LinearTransformer))
    {
        Guard.NotNull(options).Validate();
        Guard.That(parameters.Length == options.ParameterCount, nameof(parameters),
            $"parameters must hold {options.ParameterCount} values for shape [{string.Join(", ", options.ParameterShape)}], but held {parameters.Length}.");
        Options = options;
        Device = device ?? torch.CPU;
        _dtype = options.Precision == Precision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        allparam = new Parameter(torch.tensor(parameters.ToArray(), options.ParameterShape, _dtype, Device));
        int k1 = options.Dimension + 1;
        var corner = new double[k1 * k1];
        if (options.Parametrization != Parametrization.Full) corner[k1 * k1 - 1] = 1.0;
        _pFixed = torch.tensor(corner, new long[] { k1, k1 }, _dtype, Device);
        _identity = torch.eye(k1, dtype: _dtype, device: Device);
        _identityColumn = _identity.unsqueeze(-1);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public ModelOptions Options { get; }

    /// <summary>The device holding the parameters.</summary>
    public Device Device { get; }

    /// <summary>The trainable tensor [L, H, m, k, k] (index 0 of axis 2 is P, the last is Q); flat [P] with a feature
    /// MLP (see <see cref="ModelOptions.FeatureMlpWidth"/>).</summary>
    public Parameter Weights => allparam;

    // The attention parameters as [L, H, m, k, k] (a view of the flat tensor when there is a feature MLP).
    private Tensor AttentionWeights => Options.FeatureMlpWidth > 0
        ? allparam.narrow(0, 0, Options.AttentionParameterCount).view(Options.AttentionShape)
        : allparam;

    // x ← W₂ ReLU(W₁ x + b₁) + b₂ on the x-part of every token; the y column is kept. Identity without a feature MLP.
    private Tensor ApplyFeatureMlp(Tensor tokens)
    {
        if (Options.FeatureMlpWidth == 0) return tokens;
        int d = Options.Dimension, h = Options.FeatureMlpWidth, o = Options.AttentionParameterCount;
        Tensor w1 = allparam.narrow(0, o, h * d).view(h, d);
        Tensor b1 = allparam.narrow(0, o + h * d, h);
        Tensor w2 = allparam.narrow(0, o + h * d + h, d * h).view(d, h);
        Tensor b2 = allparam.narrow(0, o + 2 * h * d + h, d);
        Tensor x = tokens.narrow(2, 0, d);
        Tensor hidden = nn.functional.relu(x.matmul(w1.t()).Plus(b1));
        Tensor features = hidden.matmul(w2.t()).Plus(b2);
        return torch.cat(new[] { features, tokens.narrow(2, d, 1) }, 2);
    }

    /// <summary>Draws the initial parameter values from the stream (seed, initialisation): attention entries i.i.d.
    /// N(0, std²); then, with a feature MLP, W₁, b₁, W₂, b₂ uniform on ±1/√fan_in (PyTorch's <c>nn.Linear</c> default).</summary>
    public static double[] InitialParameters(ModelOptions options, ulong seed)
    {
        Guard.NotNull(options).Validate();
        var values = new double[options.ParameterCount];
        var random = CounterRandom.For(seed, StreamPurpose.Initialisation);
        Span<double> attention = values.AsSpan(0, options.AttentionParameterCount);
        random.FillGaussian(attention);
        for (int i = 0; i < attention.Length; i++) attention[i] *= options.InitStd;
        if (options.FeatureMlpWidth > 0)
        {
            int d = options.Dimension, h = options.FeatureMlpWidth, o = options.AttentionParameterCount;
            double first = 1.0 / Math.Sqrt(d), second = 1.0 / Math.Sqrt(h);
            for (int i = 0; i < h * d + h; i++) values[o++] = (2 * random.NextDouble() - 1) * first;    // W₁, b₁
            for (int i = 0; i < d * h + d; i++) values[o++] = (2 * random.NextDouble() - 1) * second;   // W₂, b₂
        }
        return values;
    }

    /// <summary>Copies the parameter values out, in the layout [L, H, m, k, k].</summary>
    public double[] GetParameters()
    {
        using var scope = torch.NewDisposeScope();
        return allparam.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
    }

    /// <summary>Overwrites the parameter values (layout [L, H, m, k, k]).</summary>
    public void SetParameters(ReadOnlySpan<double> values)
    {
        Guard.That(values.Length == Options.ParameterCount, nameof(values),
            $"values must hold {Options.ParameterCount} parameters, but held {values.Length}.");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        allparam.copy_(torch.tensor(values.ToArray(), Options.ParameterShape, _dtype, Device));
    }

    /// <summary>
    /// P_full and Q_full of every layer and head, each [L, H, d+1, d+1], built from the parameters so that gradients
    /// flow only to trainable entries.
    /// </summary>
    public (Tensor P, Tensor Q) EmbeddedMatrices()
    {
        int d = Options.Dimension;
        switch (Options.Parametrization)
        {
            case Parametrization.Full:
                return (AttentionWeights.select(2, 0), AttentionWeights.select(2, 1));
            case Parametrization.Restricted:
            {
                var pad = new long[] { 0, 1, 0, 1 };
                Tensor p = nn.functional.pad(AttentionWeights.select(2, 0), pad).Plus(_pFixed);
                Tensor q = nn.functional.pad(AttentionWeights.select(2, 1), pad);
                return (p, q);
            }
            default:
            {
                Tensor q = nn.functional.pad(AttentionWeights.select(2, 0), new long[] { 0, 1, 0, 1 });
                Tensor p = _pFixed.expand(Options.Layers, Options.Heads, d + 1, d + 1);
                return (p, q);
            }
        }
    }

    /// <summary>Predictions ŷ = −[Z_L]_{query, y} for a batch without padding. Shape [B].</summary>
    /// <param name="tokens">Z_0, [B, N + 1, d + 1].</param>
    public override Tensor forward(Tensor tokens) => Predict(tokens, null);

    /// <summary>Predictions ŷ = −[Z_L]_{query, y}, shape [B].</summary>
    /// <param name="tokens">Z_0, [B, N + 1, d + 1].</param>
    /// <param name="contextMask">Optional bool [B, N], true for valid context rows; the others are padding: they are
    /// never keys, and 1/n uses each prompt's own count n_b.</param>
    public Tensor Predict(Tensor tokens, Tensor? contextMask)
    {
        CheckInputs(tokens, contextMask);
        using var scope = torch.NewDisposeScope();
        Tensor prediction;
        if (Options.Activation != ScoreActivation.Identity)
        {
            Tensor z = ForwardTokensQuadratic(tokens, contextMask);
            prediction = -z.select(1, z.shape[1] - 1).select(1, Options.Dimension);
        }
        else
        {
            prediction = -PredictAssociative(tokens, contextMask);
        }
        return prediction.MoveToOuterDisposeScope();
    }

    // Linear attention in the S-form with the batch as the last, contiguous axis ("structure of arrays"): S is
    // [k1, k1, B] and z_q is [k1, B]. Products with a shared matrix (Q S, P (Q S)ᵀ) are then single GEMMs over all
    // prompts, and the per-prompt products (A z_q, A S Aᵀ) are broadcast multiply-sums that vectorise along B. On CPU
    // this is several times faster than batched 6×6 matmuls. Returns −ŷ = [z_q after L layers]_y, [B].
    private Tensor PredictAssociative(Tensor tokens, Tensor? contextMask)
    {
        tokens = ApplyFeatureMlp(tokens);
        var (p, q) = EmbeddedMatrices();
        int n = (int)tokens.shape[1] - 1, k1 = Options.Dimension + 1, heads = Options.Heads;
        long batch = tokens.shape[0];
        Tensor inverseN = InverseContextCount(tokens, contextMask);                       // [B] or [1]
        Tensor s = ContextMoment(tokens, contextMask).permute(1, 2, 0).contiguous();     // [k1, k1, B]
        Tensor query = tokens.select(1, n).t().contiguous();                              // [k1, B]
        for (int l = 0; l < Options.Layers; l++)
        {
            // R_h = Q_h S (one GEMM for all heads and prompts); S symmetric, so R_hᵀ = S Q_hᵀ.
            Tensor r = q[l].reshape(heads * k1, k1).matmul(s.view(k1, k1 * batch)).view(heads, k1, k1, batch);
            Tensor rT = r.transpose(1, 2).contiguous().view(heads, k1, k1 * batch);
            Tensor m = p[l].matmul(rT).view(heads, k1, k1, batch);                       // P_h S Q_hᵀ
            m = heads > 1 ? m.sum(0L) : m.squeeze(0);  // 0L: a literal 0 would bind to sum(ScalarType)
            Tensor a = (m * inverseN).Plus(_identityColumn);                              // A = I + M/n, [k1, k1, B]
            query = (a * query.unsqueeze(0)).sum(1);                                      // A z_q
            if (l + 1 < Options.Layers)
            {
                Tensor aS = (a.unsqueeze(2) * s.unsqueeze(0)).sum(1);                     // A S
                s = (aS.unsqueeze(1) * a.unsqueeze(0)).sum(2);                            // (A S) Aᵀ
            }
        }
        return query.select(0, Options.Dimension);
    }

    /// <summary>The whole token matrix Z_L, [B, N + 1, d + 1] (every token is updated by every layer).</summary>
    public Tensor ForwardTokens(Tensor tokens, Tensor? contextMask = null)
    {
        CheckInputs(tokens, contextMask);
        if (Options.Activation != ScoreActivation.Identity) return ForwardTokensQuadratic(tokens, contextMask);

        using var scope = torch.NewDisposeScope();
        var (p, q) = EmbeddedMatrices();
        Tensor qT = q.transpose(-1, -2);
        Tensor inverseN = InverseContextCount(tokens, contextMask).view(-1, 1, 1);
        Tensor z = ApplyFeatureMlp(tokens);
        for (int l = 0; l < Options.Layers; l++)
        {
            Tensor a = LayerMap(p[l], qT[l], ContextMoment(z, contextMask), inverseN);
            z = z.matmul(a.transpose(1, 2));                                        // z_j ← A z_j for every row j
        }
        return z.MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared error mean_b (ŷ_b − y_b)², no 1/2 factor (the paper's loss). A 0-dimensional tensor.</summary>
    public Tensor Loss(Tensor tokens, Tensor targets, Tensor? contextMask = null)
    {
        using var scope = torch.NewDisposeScope();
        Tensor residual = Predict(tokens, contextMask) - targets;
        return (residual * residual).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The token-level form with explicit scores s_ji = z_jᵀ Q z_i: O(n²) per layer. Used for softmax/ReLU attention;
    /// for linear attention it is an independent check of the associative form.
    /// </summary>
    internal Tensor ForwardTokensQuadratic(Tensor tokens, Tensor? contextMask)
    {
        using var scope = torch.NewDisposeScope();
        var (p, q) = EmbeddedMatrices();
        long batch = tokens.shape[0];
        int n = (int)tokens.shape[1] - 1;
        Tensor valid = contextMask ?? torch.ones(new long[] { batch, n }, ScalarType.Bool, tokens.device);
        Tensor noQuery = torch.zeros(new long[] { batch, 1 }, ScalarType.Bool, tokens.device);
        Tensor keys = torch.cat(new[] { valid, noQuery }, 1).view(batch, 1, 1, n + 1);                 // valid keys
        Tensor padding = torch.cat(new[] { valid.logical_not(), noQuery }, 1).view(batch, 1, 1, n + 1);  // padded keys
        Tensor keyWeights = keys.to_type(_dtype);
        Tensor inverseN = InverseContextCount(tokens, contextMask).view(-1, 1, 1);
        Tensor z = ApplyFeatureMlp(tokens);
        for (int l = 0; l < Options.Layers; l++)
        {
            Tensor zh = z.unsqueeze(1);                                                    // [B, 1, T, k1]
            Tensor scores = zh.matmul(q[l]).matmul(zh.transpose(-1, -2));                  // [B, H, T, T]: s_ji
            scores = Options.Activation switch
            {
                ScoreActivation.Softmax => scores.masked_fill(padding, TorchScalars.NegativeInfinity).softmax(-1),
                ScoreActivation.Relu => nn.functional.relu(scores),
                _ => scores,
            };
            Tensor values = zh.matmul(p[l].transpose(-1, -2));                             // [B, H, T, k1]: rows P z_i
            Tensor update = (scores * keyWeights).matmul(values).sum(1) * inverseN;
            z = z.Plus(update);
        }
        return z.MoveToOuterDisposeScope();
    }

    private void CheckInputs(Tensor tokens, Tensor? contextMask)
    {
        if (tokens.dim() != 3 || tokens.shape[2] != Options.Dimension + 1 || tokens.shape[1] < 2)
            throw new ArgumentOutOfRangeException(nameof(tokens),
                $"tokens must have shape [B, N + 1, d + 1] with N ≥ 1 and d + 1 = {Options.Dimension + 1}, but had [{string.Join(", ", tokens.shape)}].");
        if (contextMask is not null
            && (contextMask.dim() != 2 || contextMask.shape[0] != tokens.shape[0] || contextMask.shape[1] != tokens.shape[1] - 1 || contextMask.dtype != ScalarType.Bool))
            throw new ArgumentOutOfRangeException(nameof(contextMask),
                $"contextMask must be bool [B, N] = [{tokens.shape[0]}, {tokens.shape[1] - 1}], but was {contextMask.dtype} [{string.Join(", ", contextMask.shape)}].");
    }

    // S = Σ over valid context rows of z_i z_iᵀ, [B, k1, k1].
    private Tensor ContextMoment(Tensor z, Tensor? contextMask)
    {
        Tensor context = z.narrow(1, 0, z.shape[1] - 1);
        if (contextMask is not null) context = context * contextMask.unsqueeze(-1).to_type(_dtype);
        return context.transpose(1, 2).matmul(context);
    }

    // 1/n_b per prompt, [B] (or [1] when unpadded, broadcasting over the batch).
    private Tensor InverseContextCount(Tensor tokens, Tensor? contextMask)
        => contextMask is null
            ? torch.tensor(new[] { 1.0 / (tokens.shape[1] - 1) }, _dtype, tokens.device)
            : contextMask.sum(1, type: _dtype).reciprocal();

    // A = I + (1/n) Σ_h P_h S Q_hᵀ for one layer; pl, qlT are [H, k1, k1], inverseN broadcasts as [B|1, 1, 1].
    private Tensor LayerMap(Tensor pl, Tensor qlT, Tensor s, Tensor inverseN)
    {
        Tensor m = Options.Heads == 1
            ? pl[0].matmul(s).matmul(qlT[0])
            : pl.unsqueeze(0).matmul(s.unsqueeze(1)).matmul(qlT.unsqueeze(0)).sum(1);
        return (m * inverseN).Plus(_identity);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pFixed.Dispose();
            _identity.Dispose();
            _identityColumn.Dispose();
        }
        base.Dispose(disposing);
    }
}
