using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinAttn.Engine.Simd;
using LinAttn.Tasks;

namespace LinAttn.Engine;

/// <summary>
/// The per-prompt inputs of the S-form for one block of prompts, one prompt per lane: S₀ = Σ_{i &lt; n_b} z_i z_iᵀ
/// (k×k), the query token z_q (k), 1/n_b, the target and a lane weight (0 for lanes past the end of the batch).
/// </summary>
internal sealed class PromptBlock<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly int _k;
    private T[] _staging = Array.Empty<T>();   // [(n+1)·k][lane]: the block's tokens transposed so each entry is a vector
    private readonly T[] _lanes;

    public PromptBlock(int dimension)
    {
        _k = dimension + 1;
        S0 = new TVec[_k * _k];
        Query = new TVec[_k];
        _lanes = new T[TOps.Width];
    }

    public TVec[] S0 { get; }

    public TVec[] Query { get; }

    public TVec InverseCount { get; private set; }

    public TVec Target { get; private set; }

    /// <summary>1 for lanes holding a prompt, 0 for lanes past the end of the batch.</summary>
    public TVec Weight { get; private set; }

    /// <summary>Number of lanes holding a prompt.</summary>
    public int Count { get; private set; }

    /// <summary>Loads prompts [start, start + Width) of <paramref name="batch"/> (fewer at the end) into the lanes.</summary>
    public void Load(PromptBatch batch, int start)
    {
        int width = TOps.Width, k = _k, n = batch.ContextLength, stride = batch.PromptStride;
        Count = Math.Min(width, batch.BatchSize - start);
        int entries = (n + 1) * k;
        if (_staging.Length < entries * width) _staging = new T[entries * width];
        if (batch.Tiles is float[] tiles && batch.ContextLengths is null && start % PromptBatch.TileLanes + width <= PromptBatch.TileLanes)
        {
            LoadFromTiles(tiles, start, entries);
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

        ref TVec s = ref MemoryMarshal.GetArrayDataReference(S0);
        for (int i = 0; i < S0.Length; i++) Unsafe.Add(ref s, i) = TOps.Zero;
        ReadOnlySpan<TVec> tokens = MemoryMarshal.Cast<T, TVec>(_staging.AsSpan(0, entries * width));
        for (int t = 0; t < n; t++)
        {
            ReadOnlySpan<TVec> z = tokens.Slice(t * k, k);
            for (int i = 0; i < k; i++)
            {
                TVec zi = z[i];
                for (int j = i; j < k; j++) Unsafe.Add(ref s, i * k + j) = TOps.MulAdd(zi, z[j], Unsafe.Add(ref s, i * k + j));
            }
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < i; j++) S0[i * k + j] = S0[j * k + i];
        tokens.Slice(n * k, k).CopyTo(Query);

        for (int lane = 0; lane < width; lane++) _lanes[lane] = TOps.FromDouble(lane < Count ? 1.0 / batch.ContextLengthOf(start + lane) : 0.0);
        InverseCount = TOps.Load(_lanes);
        for (int lane = 0; lane < width; lane++) _lanes[lane] = TOps.FromSingle(lane < Count ? batch.Targets[start + lane] : 0f);
        Target = TOps.Load(_lanes);
        for (int lane = 0; lane < width; lane++) _lanes[lane] = TOps.FromDouble(lane < Count ? 1.0 : 0.0);
        Weight = TOps.Load(_lanes);
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
        for (int e = 0; e < entries; e++)
            for (int lane = 0; lane < width; lane++) _staging[e * width + lane] = TOps.FromSingle(tiles[source + e * lanes + lane]);
    }
}
