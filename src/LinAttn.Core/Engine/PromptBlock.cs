using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LinAttn.Engine.Simd;
using LinAttn.Tasks;

namespace LinAttn.Engine;

/// <summary>
/// The per-prompt inputs of the S-form for one block of prompts, one prompt per lane: S₀ = Σ_{i &lt; n_b} z_i z_iᵀ
/// (k×k), the query token z_q (k), 1/n_b, the target and a lane weight (0 for lanes past the end of the batch).
/// With <c>keepTokens</c> it holds the (n+1)·k tokens and the key mask instead of S₀ (the token-level kernel).
/// </summary>
internal sealed class PromptBlock<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly int _k;
    private T[] _staging = Array.Empty<T>();   // [(n+1)·k][lane]: the block's tokens transposed so each entry is a vector
    private readonly T[] _lanes;

    private readonly FeatureMlp<TOps, TVec, T>? _mlp;
    private LaneBuffer<TVec> _contextMasks = LaneBuffer<TVec>.Allocate(0);
    private readonly bool _keepTokens;

    /// <param name="dimension">d.</param>
    /// <param name="mlp">A feature MLP applied to every token's x before S₀ is formed, or null.</param>
    /// <param name="keepTokens">Keep <see cref="Tokens"/> and <see cref="KeyMask"/> (and skip S₀).</param>
    public PromptBlock(int dimension, FeatureMlp<TOps, TVec, T>? mlp = null, bool keepTokens = false)
    {
        _mlp = mlp;
        _keepTokens = keepTokens;
        _k = dimension + 1;
        S0 = LaneBuffer<TVec>.Allocate(_k * _k);
        Query = LaneBuffer<TVec>.Allocate(_k);
        _lanes = new T[TOps.Width];
    }

    public LaneBuffer<TVec> S0 { get; }

    public LaneBuffer<TVec> Query { get; }

    /// <summary>With keepTokens: the (n+1)·k token entries (row-major, the query last); padding rows are zero.</summary>
    public LaneBuffer<TVec> Tokens { get; private set; } = LaneBuffer<TVec>.Allocate(0);

    /// <summary>With keepTokens: per context token t &lt; n, 1 in the lanes whose prompt has t &lt; n_b, else 0.</summary>
    public LaneBuffer<TVec> KeyMask { get; private set; } = LaneBuffer<TVec>.Allocate(0);

    /// <summary>n, the batch's (maximum) number of context tokens.</summary>
    public int ContextLength { get; private set; }

    public TVec InverseCount { get; private set; }

    public TVec Target { get; private set; }

    /// <summary>1 for lanes holding a prompt, 0 for lanes past the end of the batch.</summary>
    public TVec Weight { get; private set; }

    /// <summary>Number of lanes holding a prompt.</summary>
    public int Count { get; private set; }

    /// <summary>A new block of the same kind holding this block's loaded values (not its staging buffer or feature MLP),
    /// to be kept while this one loads the next prompts.</summary>
    public PromptBlock<TOps, TVec, T> Snapshot()
    {
        var copy = new PromptBlock<TOps, TVec, T>(_k - 1, keepTokens: _keepTokens);
        if (_keepTokens)
        {
            copy.EnsureTokenCapacity(ContextLength);
            Tokens.AsSpan(0, (ContextLength + 1) * _k).CopyTo(copy.Tokens.AsSpan());
            KeyMask.AsSpan(0, ContextLength).CopyTo(copy.KeyMask.AsSpan());
        }
        copy.ContextLength = ContextLength;
        S0.AsSpan().CopyTo(copy.S0.AsSpan());
        Query.AsSpan().CopyTo(copy.Query.AsSpan());
        copy.InverseCount = InverseCount;
        copy.Target = Target;
        copy.Weight = Weight;
        copy.Count = Count;
        return copy;
    }

    /// <summary>Loads prompts [start, start + Width) of <paramref name="batch"/> (fewer at the end) into the lanes.</summary>
    public void Load(PromptBatch batch, int start)
    {
        int width = TOps.Width, k = _k, n = batch.ContextLength;
        Count = Math.Min(width, batch.BatchSize - start);
        ContextLength = n;
        if (batch.MomentTiles is { } moments)
        {
            if (_keepTokens || _mlp is not null)
                throw new InvalidOperationException("A batch drawn as moments has no tokens: softmax/ReLU attention and a feature MLP need the tokens (TrainingOptions.Sampling = Tokens).");
            LoadMoments(moments, start);
        }
        else
        {
            int entries = (n + 1) * k;
            ReadOnlySpan<TVec> tokens = TokenVectors(batch, start, entries);
            if (_mlp is not null) tokens = _mlp.Forward(tokens, n, batch.ContextLengths is null ? ReadOnlySpan<TVec>.Empty : ContextMasks(batch, start, n));
            if (_keepTokens) KeepTokens(batch, start, tokens, n);
            else if (k == 6) AccumulateMoments6(tokens, n);
            else AccumulateMoments(tokens, n);
            tokens.Slice(n * k, k).CopyTo(Query);
        }

        if (Count == width && batch.ContextLengths is null)
        {
            InverseCount = TOps.Broadcast(TOps.FromDouble(1.0 / n));
            Weight = TOps.Broadcast(TOps.FromDouble(1.0));
            for (int lane = 0; lane < width; lane++) _lanes[lane] = TOps.FromSingle(batch.Targets[start + lane]);
            Target = TOps.Load(_lanes);
            return;
        }
        for (int lane = 0; lane < width; lane++) _lanes[lane] = TOps.FromDouble(lane < Count ? 1.0 / batch.ContextLengthOf(start + lane) : 0.0);
        InverseCount = TOps.Load(_lanes);
        for (int lane = 0; lane < width; lane++) _lanes[lane] = TOps.FromSingle(lane < Count ? batch.Targets[start + lane] : 0f);
        Target = TOps.Load(_lanes);
        for (int lane = 0; lane < width; lane++) _lanes[lane] = TOps.FromDouble(lane < Count ? 1.0 : 0.0);
        Weight = TOps.Load(_lanes);
    }

    // S₀ and the query straight from a moment tile (TileLanes prompts per entry; a block of Width lanes is a slice of one tile).
    private void LoadMoments(float[] moments, int start)
    {
        int width = TOps.Width, lanes = PromptBatch.TileLanes, k = _k, entries = PromptBatch.MomentEntries(k - 1);
        int source = start / lanes * entries * lanes + start % lanes;
        for (int e = 0; e < entries; e++)
        {
            TVec value;
            if (typeof(T) == typeof(float))
            {
                value = TOps.Load(MemoryMarshal.Cast<float, T>(moments.AsSpan(source + e * lanes, width)));
            }
            else
            {
                for (int lane = 0; lane < width; lane++) _lanes[lane] = TOps.FromSingle(moments[source + e * lanes + lane]);
                value = TOps.Load(_lanes);
            }
            if (e < k * k) S0[e] = value;
            else Query[e - k * k] = value;
        }
    }

    private void KeepTokens(PromptBatch batch, int start, ReadOnlySpan<TVec> tokens, int n)
    {
        EnsureTokenCapacity(n);
        tokens.CopyTo(Tokens.AsSpan());
        if (batch.ContextLengths is null) KeyMask.AsSpan(0, n).Fill(TOps.Broadcast(TOps.FromDouble(1.0)));
        else ContextMasks(batch, start, n).CopyTo(KeyMask.AsSpan());
    }

    private void EnsureTokenCapacity(int n)
    {
        if (Tokens.Length < (n + 1) * _k) Tokens = LaneBuffer<TVec>.Allocate((n + 1) * _k);
        if (KeyMask.Length < n) KeyMask = LaneBuffer<TVec>.Allocate(n);
    }

    // Per context token t, 1 in the lanes whose prompt has t < n_b, else 0.
    private ReadOnlySpan<TVec> ContextMasks(PromptBatch batch, int start, int n)
    {
        if (_contextMasks.Length < n) _contextMasks = LaneBuffer<TVec>.Allocate(n);
        for (int t = 0; t < n; t++)
        {
            for (int lane = 0; lane < TOps.Width; lane++)
                _lanes[lane] = TOps.FromDouble(lane < Count && t < batch.ContextLengthOf(start + lane) ? 1.0 : 0.0);
            _contextMasks[t] = TOps.Load(_lanes);
        }
        return _contextMasks.AsSpan(0, n);
    }

    // The block's (n+1)·k token entries as lane vectors: read in place when a block is exactly one float tile,
    // otherwise transposed into the staging buffer.
    private ReadOnlySpan<TVec> TokenVectors(PromptBatch batch, int start, int entries)
    {
        int width = TOps.Width, k = _k, n = batch.ContextLength, stride = batch.PromptStride;
        int lanes = PromptBatch.TileLanes;
        bool fromTiles = batch.Tiles is not null && batch.ContextLengths is null && start % lanes + width <= lanes;
        if (fromTiles && typeof(T) == typeof(float) && width == lanes)
            return MemoryMarshal.Cast<float, TVec>(batch.Tiles.AsSpan(start / lanes * entries * lanes, entries * lanes));
        if (_staging.Length < entries * width) _staging = new T[entries * width];
        if (fromTiles)
        {
            LoadFromTiles(batch.Tiles!, start, entries);
        }
        else
        {
            Array.Clear(_staging, 0, entries * width);
            // Transpose: each prompt's tokens are read contiguously and written to its lane. Padding rows stay zero.
            for (int lane = 0; lane < Count; lane++)
            {
                int b = start + lane;
                int valid = batch.ContextLengthOf(b) * k;
                ReadOnlySpan<float> prompt = batch.Tokens.AsSpan(b * stride, stride);
                for (int e = 0; e < valid; e++) _staging[e * width + lane] = TOps.FromSingle(prompt[e]);
                for (int e = n * k; e < entries; e++) _staging[e * width + lane] = TOps.FromSingle(prompt[e]);
            }
        }
        return MemoryMarshal.Cast<T, TVec>(_staging.AsSpan(0, entries * width));
    }

    // S₀ = Σ_t z_t z_tᵀ: each upper entry summed by FMAs over t ascending from zero, then mirrored.
    private void AccumulateMoments(ReadOnlySpan<TVec> tokens, int n)
    {
        int k = _k;
        ref TVec s = ref MemoryMarshal.GetReference(S0.AsSpan());
        for (int i = 0; i < S0.Length; i++) Unsafe.Add(ref s, i) = TOps.Zero;
        for (int t = 0; t < n; t++)
        {
            ReadOnlySpan<TVec> z = tokens.Slice(t * k, k);
            for (int i = 0; i < k; i++)
            {
                TVec zi = z[i];
                for (int j = i; j < k; j++) Unsafe.Add(ref s, i * k + j) = TOps.MulAdd(zi, z[j], Unsafe.Add(ref s, i * k + j));
            }
        }
        Mirror();
    }

    // The same sums for k = 6 (d = 5) with the 21 upper entries in registers (rows 0–1, then rows 2–5), so each
    // token is read twice instead of every entry being loaded and stored per token; bit-identical to the loop above.
    private void AccumulateMoments6(ReadOnlySpan<TVec> tokens, int n)
    {
        ref TVec z = ref MemoryMarshal.GetReference(tokens);
        ref TVec s = ref MemoryMarshal.GetReference(S0.AsSpan());
        TVec s00 = TOps.Zero, s01 = TOps.Zero, s02 = TOps.Zero, s03 = TOps.Zero, s04 = TOps.Zero, s05 = TOps.Zero;
        TVec s11 = TOps.Zero, s12 = TOps.Zero, s13 = TOps.Zero, s14 = TOps.Zero, s15 = TOps.Zero;
        for (int t = 0; t < n; t++)
        {
            ref TVec zt = ref Unsafe.Add(ref z, t * 6);
            TVec z0 = zt, z1 = Unsafe.Add(ref zt, 1), z2 = Unsafe.Add(ref zt, 2), z3 = Unsafe.Add(ref zt, 3), z4 = Unsafe.Add(ref zt, 4), z5 = Unsafe.Add(ref zt, 5);
            s00 = TOps.MulAdd(z0, z0, s00); s01 = TOps.MulAdd(z0, z1, s01); s02 = TOps.MulAdd(z0, z2, s02);
            s03 = TOps.MulAdd(z0, z3, s03); s04 = TOps.MulAdd(z0, z4, s04); s05 = TOps.MulAdd(z0, z5, s05);
            s11 = TOps.MulAdd(z1, z1, s11); s12 = TOps.MulAdd(z1, z2, s12); s13 = TOps.MulAdd(z1, z3, s13);
            s14 = TOps.MulAdd(z1, z4, s14); s15 = TOps.MulAdd(z1, z5, s15);
        }
        s = s00; Unsafe.Add(ref s, 1) = s01; Unsafe.Add(ref s, 2) = s02; Unsafe.Add(ref s, 3) = s03; Unsafe.Add(ref s, 4) = s04; Unsafe.Add(ref s, 5) = s05;
        Unsafe.Add(ref s, 7) = s11; Unsafe.Add(ref s, 8) = s12; Unsafe.Add(ref s, 9) = s13; Unsafe.Add(ref s, 10) = s14; Unsafe.Add(ref s, 11) = s15;
        TVec s22 = TOps.Zero, s23 = TOps.Zero, s24 = TOps.Zero, s25 = TOps.Zero, s33 = TOps.Zero, s34 = TOps.Zero, s35 = TOps.Zero;
        TVec s44 = TOps.Zero, s45 = TOps.Zero, s55 = TOps.Zero;
        for (int t = 0; t < n; t++)
        {
            ref TVec zt = ref Unsafe.Add(ref z, t * 6);
            TVec z2 = Unsafe.Add(ref zt, 2), z3 = Unsafe.Add(ref zt, 3), z4 = Unsafe.Add(ref zt, 4), z5 = Unsafe.Add(ref zt, 5);
            s22 = TOps.MulAdd(z2, z2, s22); s23 = TOps.MulAdd(z2, z3, s23); s24 = TOps.MulAdd(z2, z4, s24); s25 = TOps.MulAdd(z2, z5, s25);
            s33 = TOps.MulAdd(z3, z3, s33); s34 = TOps.MulAdd(z3, z4, s34); s35 = TOps.MulAdd(z3, z5, s35);
            s44 = TOps.MulAdd(z4, z4, s44); s45 = TOps.MulAdd(z4, z5, s45);
            s55 = TOps.MulAdd(z5, z5, s55);
        }
        Unsafe.Add(ref s, 14) = s22; Unsafe.Add(ref s, 15) = s23; Unsafe.Add(ref s, 16) = s24; Unsafe.Add(ref s, 17) = s25;
        Unsafe.Add(ref s, 21) = s33; Unsafe.Add(ref s, 22) = s34; Unsafe.Add(ref s, 23) = s35;
        Unsafe.Add(ref s, 28) = s44; Unsafe.Add(ref s, 29) = s45;
        Unsafe.Add(ref s, 35) = s55;
        Mirror();
    }

    private void Mirror()
    {
        int k = _k;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < i; j++) S0[i * k + j] = S0[j * k + i];
    }

    // Tiles hold TileLanes prompts per entry; a block of Width lanes (Width divides TileLanes) is a slice of one tile.
    private void LoadFromTiles(float[] tiles, int start, int entries)
    {
        int width = TOps.Width, lanes = PromptBatch.TileLanes;
        int source = (start / lanes) * entries * lanes + start % lanes;
        if (typeof(T) == typeof(float))
        {
            Span<TVec> destination = MemoryMarshal.Cast<T, TVec>(_staging.AsSpan(0, entries * width));
            ref byte origin = ref Unsafe.As<float, byte>(ref tiles[source]);
            for (int e = 0; e < entries; e++)
                destination[e] = Unsafe.ReadUnaligned<TVec>(ref Unsafe.Add(ref origin, e * lanes * sizeof(float)));
            return;
        }
        if (typeof(T) == typeof(double) && width % 4 == 0)
        {
            // float → double is exact, so widening four lanes at a time gives the same values as the loop below; the
            // float64 engine (Hessians: P + 1 passes over one batch) spent about 8% of `reproduce fig2` in that loop.
            // Through refs, without span slices: fig8, which trains in float64, spent 6% of its quick profile here
            // with slices (eleventh round).
            if (source + (entries - 1) * lanes + width > tiles.Length || entries * width > _staging.Length)
                throw new ArgumentOutOfRangeException(nameof(entries), "the block reaches past its tile.");
            ref byte from = ref Unsafe.As<float, byte>(ref MemoryMarshal.GetArrayDataReference(tiles));
            from = ref Unsafe.Add(ref from, source * sizeof(float));
            ref byte to = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(_staging));
            for (int e = 0; e < entries; e++)
            {
                for (int i = 0; i < width; i += 4)
                {
                    Vector128<float> four = Unsafe.ReadUnaligned<Vector128<float>>(ref Unsafe.Add(ref from, i * sizeof(float)));
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, i * sizeof(double)), Vector256.Create(Vector128.WidenLower(four), Vector128.WidenUpper(four)));
                }
                from = ref Unsafe.Add(ref from, lanes * sizeof(float));
                to = ref Unsafe.Add(ref to, width * sizeof(double));
            }
            return;
        }
        for (int e = 0; e < entries; e++)
            for (int lane = 0; lane < width; lane++) _staging[e * width + lane] = TOps.FromSingle(tiles[source + e * lanes + lane]);
    }
}
