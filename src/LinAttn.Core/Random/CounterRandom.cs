using System.Runtime.CompilerServices;

namespace LinAttn.Random;

/// <summary>
/// A counter-based random stream: value i of stream <c>key</c> is a fixed bijective mix of <c>key + i·γ</c>
/// (the SplitMix64 finaliser). A stream is named by (seed, purpose, index, item), so every prompt of every batch
/// owns its own stream: results do not depend on how prompts are split across threads, and any batch can be
/// regenerated without replaying the ones before it.
/// </summary>
/// <remarks>Not cryptographic. Passes the statistical needs of simulation (SplitMix64 passes BigCrush).</remarks>
public struct CounterRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private readonly ulong _key;
    private ulong _counter;

    /// <summary>Creates the stream with the given 64-bit key, positioned at its first value.</summary>
    public CounterRandom(ulong key)
    {
        _key = key;
        _counter = 0;
    }

    /// <summary>Creates the stream named by a seed and up to three further coordinates (purpose, batch, item).</summary>
    public static CounterRandom For(ulong seed, ulong purpose, ulong index = 0, ulong item = 0)
        => new(Key(seed, purpose, index, item));

    /// <summary>Derives a stream key from a seed and coordinates; distinct tuples give unrelated keys.</summary>
    public static ulong Key(ulong seed, ulong purpose, ulong index = 0, ulong item = 0)
        => ItemKey(BatchKey(seed, purpose, index), item);

    /// <summary>The part of <see cref="Key"/> shared by every item of one (seed, purpose, index): samplers derive it
    /// once per batch and each prompt's key with <see cref="ItemKey"/>.</summary>
    internal static ulong BatchKey(ulong seed, ulong purpose, ulong index)
    {
        ulong h = Mix(seed ^ 0x6A09E667F3BCC909UL);
        h = Mix(h ^ (purpose * Golden));
        return Mix(h ^ (index + 0x3C6EF372FE94F82BUL));
    }

    /// <summary><see cref="Key"/> of <paramref name="item"/> from its batch's <see cref="BatchKey"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ItemKey(ulong batchKey, ulong item) => Mix(batchKey ^ (item * 0xBB67AE8584CAA73BUL + 1));

    /// <summary>The SplitMix64 finaliser (a bijection on 64-bit integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64() => Mix(_key + (++_counter) * Golden);

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on (0, 1]: safe to take the logarithm of.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDoubleNonZero() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>One standard normal value (ziggurat method).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextGaussian() => Ziggurat.Next(ref this);

    /// <summary>Fills <paramref name="destination"/> with independent standard normal values.</summary>
    public void FillGaussian(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Ziggurat.Next(ref this);
    }
}
