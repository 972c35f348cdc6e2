using LinAttn.Internal;
using LinAttn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Tasks;

/// <summary>
/// A batch of in-context regression prompts in the authors' code layout: rows are tokens.
/// <c>Tokens</c> is [B, N + 1, d + 1] row-major: rows 0..N−1 are the context tokens (x_i, y_i), row N is the query
/// (x_q, 0). <c>Targets</c> is [B]: the query's label y_q. With <c>ContextLengths</c>, prompt b uses only its first
/// n_b ≤ N context rows (the rest is padding and is ignored, and 1/n uses n_b).
/// </summary>
public sealed class PromptBatch
{
    /// <summary>Prompts per tile of the structure-of-arrays layout the samplers write and the fast engine reads.</summary>
    internal const int TileLanes = 16;

    private float[]? _tokens;
    private readonly float[]? _tiles;
    private readonly float[]? _moments;
    private readonly object _gate = new();

    /// <summary>Creates a batch over existing arrays (not copied).</summary>
    /// <param name="batchSize">B ≥ 1.</param>
    /// <param name="contextLength">N ≥ 1, the (maximum) number of context tokens.</param>
    /// <param name="dimension">d ≥ 1.</param>
    /// <param name="tokens">B·(N+1)·(d+1) values.</param>
    /// <param name="targets">B values.</param>
    /// <param name="contextLengths">Optional per-prompt n_b in [1, N]; null means every prompt uses all N.</param>
    public PromptBatch(int batchSize, int contextLength, int dimension, float[] tokens, float[] targets, int[]? contextLengths = null)
        : this(batchSize, contextLength, dimension, targets, contextLengths)
    {
        Guard.NotNull(tokens);
        long expected = (long)batchSize * (contextLength + 1) * (dimension + 1);
        Guard.That(tokens.Length == expected, nameof(tokens),
            $"tokens must hold B·(N+1)·(d+1) = {expected} values for B={batchSize}, N={contextLength}, d={dimension}, but held {tokens.Length}.");
        _tokens = tokens;
    }

    private PromptBatch(int batchSize, int contextLength, int dimension, float[] targets, float[]? tiles, float[]? moments)
        : this(batchSize, contextLength, dimension, targets, null)
    {
        _tiles = tiles;
        _moments = moments;
    }

    private PromptBatch(int batchSize, int contextLength, int dimension, float[] targets, int[]? contextLengths)
    {
        Guard.Positive(batchSize, nameof(batchSize));
        Guard.Positive(contextLength, nameof(contextLength));
        Guard.Positive(dimension, nameof(dimension));
        Guard.NotNull(targets);
        Guard.That(targets.Length == batchSize, nameof(targets),
            $"targets must hold B = {batchSize} values, but held {targets.Length}.");
        if (contextLengths is not null)
        {
            Guard.That(contextLengths.Length == batchSize, nameof(contextLengths),
                $"contextLengths must hold B = {batchSize} values, but held {contextLengths.Length}.");
            for (int b = 0; b < batchSize; b++)
            {
                if (contextLengths[b] < 1 || contextLengths[b] > contextLength)
                    throw new ArgumentOutOfRangeException(nameof(contextLengths),
                        $"contextLengths[{b}] must be in [1, {contextLength}], but was {contextLengths[b]}.");
            }
        }
        BatchSize = batchSize;
        ContextLength = contextLength;
        Dimension = dimension;
        Targets = targets;
        ContextLengths = contextLengths;
    }

    /// <summary>A batch stored as tiles of <see cref="TileLanes"/> prompts: value (tile, e, lane) at
    /// [(tile·E + e)·TileLanes + lane] with E = (N+1)(d+1) entries per prompt; lanes past B are zero.</summary>
    internal static PromptBatch FromTiles(int batchSize, int contextLength, int dimension, float[] tiles, float[] targets)
        => new(batchSize, contextLength, dimension, targets, tiles: tiles, moments: null);

    /// <summary>A batch stored as moments (see <see cref="HasTokens"/>): tiles of <see cref="TileLanes"/> prompts, value
    /// (tile, e, lane) at [(tile·M + e)·TileLanes + lane] with M = <see cref="MomentEntries"/>: entries 0..k²−1 are
    /// S₀ = Σ_{i ≤ n} z_i z_iᵀ row-major (k = d + 1, both triangles), then the query token (x_q, 0); lanes past B are zero.</summary>
    internal static PromptBatch FromMoments(int batchSize, int contextLength, int dimension, float[] moments, float[] targets)
        => new(batchSize, contextLength, dimension, targets, tiles: null, moments: moments);

    /// <summary>Entries per prompt of a moment tile: (d + 1)² for S₀ and d + 1 for the query.</summary>
    internal static int MomentEntries(int dimension) => (dimension + 1) * (dimension + 2);

    /// <summary>The structure-of-arrays tiles when the batch was produced in that layout, else null.</summary>
    internal float[]? Tiles => _tiles;

    /// <summary>The moment tiles when the batch was drawn as moments, else null.</summary>
    internal float[]? MomentTiles => _moments;

    /// <summary>
    /// False for a batch drawn as moments (<see cref="PromptSampler.SampleMoments"/>, training with
    /// <c>TrainingOptions.Sampling = Moments</c>): it carries each prompt's S₀ = Σ z_i z_iᵀ and query, which is all
    /// linear attention reads, but no context tokens, so <see cref="Tokens"/>, <see cref="Slice"/> and
    /// <see cref="ToTensors"/> throw.
    /// </summary>
    public bool HasTokens => _moments is null;

    /// <summary>B, the number of prompts.</summary>
    public int BatchSize { get; }

    /// <summary>N, the number of context tokens (the maximum, with padding).</summary>
    public int ContextLength { get; }

    /// <summary>d, the covariate dimension.</summary>
    public int Dimension { get; }

    /// <summary>[B, N + 1, d + 1] row-major token values (converted from the tile layout on first use).</summary>
    public float[] Tokens
    {
        get
        {
            if (_tokens is not null) return _tokens;
            if (_moments is not null)
                throw new InvalidOperationException("This batch was drawn as moments (S₀ and the query per prompt, TrainingOptions.Sampling = Moments) and has no tokens; only the fast engine's linear attention reads it.");
            lock (_gate)
            {
                return _tokens ??= Untile();
            }
        }
    }

    /// <summary>[B] query targets y_q.</summary>
    public float[] Targets { get; }

    /// <summary>Per-prompt context lengths n_b, or null when every prompt has N context tokens.</summary>
    public int[]? ContextLengths { get; }

    /// <summary>Values per prompt, (N + 1)(d + 1).</summary>
    public int PromptStride => (ContextLength + 1) * (Dimension + 1);

    /// <summary>n_b for prompt <paramref name="b"/>.</summary>
    public int ContextLengthOf(int b) => ContextLengths?[b] ?? ContextLength;

    /// <summary>Copies the batch into tensors on <paramref name="device"/> (see <see cref="PromptTensors"/>).</summary>
    public PromptTensors ToTensors(Device device, Precision precision)
    {
        ScalarType type = precision == Precision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        Tensor tokens = torch.tensor(Tokens, new long[] { BatchSize, ContextLength + 1, Dimension + 1 }, type, device);
        Tensor targets = torch.tensor(Targets, new long[] { BatchSize }, type, device);
        Tensor? mask = null;
        if (ContextLengths is not null)
        {
            var valid = new bool[BatchSize * ContextLength];
            for (int b = 0; b < BatchSize; b++) valid.AsSpan(b * ContextLength, ContextLengths[b]).Fill(true);
            mask = torch.tensor(valid, new long[] { BatchSize, ContextLength }, device: device);
        }
        return new PromptTensors(tokens, targets, mask);
    }

    private float[] Untile()
    {
        int entries = PromptStride, lanes = TileLanes;
        var tokens = new float[BatchSize * entries];
        for (int b = 0; b < BatchSize; b++)
        {
            int tile = b / lanes, lane = b % lanes;
            int source = tile * entries * lanes + lane, destination = b * entries;
            for (int e = 0; e < entries; e++) tokens[destination + e] = _tiles![source + e * lanes];
        }
        return tokens;
    }

    /// <summary>The prompts [start, start + count) as a new batch (copies).</summary>
    public PromptBatch Slice(int start, int count)
    {
        Guard.That(start >= 0 && count >= 1 && start + count <= BatchSize, nameof(count),
            $"slice [{start}, {start + count}) must lie in [0, {BatchSize}).");
        int stride = PromptStride;
        float[] tokens = Tokens.AsSpan(start * stride, count * stride).ToArray();
        float[] targets = Targets.AsSpan(start, count).ToArray();
        int[]? lengths = ContextLengths?.AsSpan(start, count).ToArray();
        return new PromptBatch(count, ContextLength, Dimension, tokens, targets, lengths);
    }
}
