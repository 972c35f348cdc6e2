using System.Numerics;
using System.Runtime.CompilerServices;

namespace LinAttn.Random;

/// <summary>
/// <see cref="Vector{T}"/>.Count counter-based streams side by side, one per float lane: lane j yields exactly the
/// values of <c>new CounterRandom(keys[j])</c> (the same SplitMix64 finaliser of key + counter·γ), so a prompt's data
/// do not depend on which lane or thread drew it. Counters advance per lane, so lanes may consume different amounts
/// (rejection sampling) and stay reproducible.
/// </summary>
internal struct LaneRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const float Inverse24 = 1f / (1 << 24);
    private static readonly int LongLanes = Vector<ulong>.Count;

    // Vector<ulong> holds half as many lanes as Vector<float>: low half and high half.
    private readonly Vector<ulong> _keyLow, _keyHigh;
    private Vector<ulong> _counterLow, _counterHigh;

    public LaneRandom(ReadOnlySpan<ulong> keys)
    {
        _keyLow = new Vector<ulong>(keys[..LongLanes]);
        _keyHigh = new Vector<ulong>(keys.Slice(LongLanes, LongLanes));
        _counterLow = Vector<ulong>.Zero;
        _counterHigh = Vector<ulong>.Zero;
    }

    /// <summary>Lanes per stream group (= <see cref="Vector{T}"/>.Count for float).</summary>
    public static int Lanes => Vector<float>.Count;

    /// <summary>The next 24-bit integer per lane (the top bits of the next 64-bit value), advancing only lanes in
    /// <paramref name="active"/> (all ones = every lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector<int> Next24(Vector<int> active)
    {
        Vector<int> step = Vector<int>.Zero - active;                                  // 1 where active
        Vector.Widen(Vector.AsVectorUInt32(step), out Vector<ulong> stepLow, out Vector<ulong> stepHigh);
        _counterLow += stepLow;
        _counterHigh += stepHigh;
        Vector<ulong> low = Mix(_keyLow + _counterLow * new Vector<ulong>(Golden));
        Vector<ulong> high = Mix(_keyHigh + _counterHigh * new Vector<ulong>(Golden));
        return Vector.AsVectorInt32(Vector.Narrow(Vector.ShiftRightLogical(low, 40), Vector.ShiftRightLogical(high, 40)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> Mix(Vector<ulong> z)
    {
        z = (z ^ Vector.ShiftRightLogical(z, 30)) * new Vector<ulong>(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector.ShiftRightLogical(z, 27)) * new Vector<ulong>(0x94D049BB133111EBUL);
        return z ^ Vector.ShiftRightLogical(z, 31);
    }

    /// <summary>Uniform on [0, 1) with 24 random bits, every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> NextUniform() => NextUniform(new Vector<int>(-1));

    /// <summary>Uniform on [0, 1) for active lanes (others advance nothing; their value is meaningless).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> NextUniform(Vector<int> active) => Vector.ConvertToSingle(Next24(active)) * new Vector<float>(Inverse24);

    /// <summary>Uniform on (0, 1]: safe to take the logarithm of.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> NextUniformNonZero(Vector<int> active)
        => Vector.ConvertToSingle(Next24(active) + Vector<int>.One) * new Vector<float>(Inverse24);

    /// <summary>Two independent N(0, 1) values per lane by Box–Muller (tails truncated at √(−2 ln 2⁻²⁴) ≈ 5.77).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NextNormalPair(Vector<int> active, out Vector<float> first, out Vector<float> second)
    {
        Vector<float> radius = Vector.SquareRoot(VectorMath.Log(NextUniformNonZero(active)) * new Vector<float>(-2f));
        VectorMath.CosSinTurns(NextUniform(active), out Vector<float> cos, out Vector<float> sin);
        first = radius * cos;
        second = radius * sin;
    }
}
