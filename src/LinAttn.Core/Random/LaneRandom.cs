using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    // Vector<ulong> holds half as many lanes as Vector<float>: low half and high half. The state is key + counter·γ,
    // advanced by adding γ (no multiply).
    private Vector<ulong> _stateLow, _stateHigh;

    public LaneRandom(ReadOnlySpan<ulong> keys)
    {
        _stateLow = new Vector<ulong>(keys[..LongLanes]);
        _stateHigh = new Vector<ulong>(keys.Slice(LongLanes, LongLanes));
    }

    /// <summary>Lanes per stream group (= <see cref="Vector{T}"/>.Count for float).</summary>
    public static int Lanes => Vector<float>.Count;

    /// <summary>The next 64-bit value per lane, advancing only lanes in <paramref name="active"/> (all ones = every lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Next(Vector<int> active, out Vector<ulong> low, out Vector<ulong> high)
    {
        Vector.Widen(active, out Vector<long> activeLow, out Vector<long> activeHigh);      // −1 → all ones
        _stateLow += new Vector<ulong>(Golden) & Vector.AsVectorUInt64(activeLow);
        _stateHigh += new Vector<ulong>(Golden) & Vector.AsVectorUInt64(activeHigh);
        low = Mix(_stateLow);
        high = Mix(_stateHigh);
    }

    /// <summary>The next 64-bit value of every lane (no mask to apply).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Next(out Vector<ulong> low, out Vector<ulong> high)
    {
        _stateLow += new Vector<ulong>(Golden);
        _stateHigh += new Vector<ulong>(Golden);
        low = Mix(_stateLow);
        high = Mix(_stateHigh);
    }

    /// <summary>Whether <see cref="Top24"/> and <see cref="Middle24"/> take the two-source permute (AVX-512VL with
    /// 256-bit <see cref="Vector{T}"/>) rather than the portable narrowing; both give the same bits.</summary>
    internal static bool UsesPermute => Vector<byte>.Count == 32 && Avx512F.VL.IsSupported;

    /// <summary>Bits [40, 64) of each lane's 64-bit value, as int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<int> Top24(Vector<ulong> low, Vector<ulong> high)
        => UsesPermute ? Top24Permuted(low, high) : Top24Narrowed(low, high);

    /// <summary>Bits [16, 40) of each lane's 64-bit value, as int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<int> Middle24(Vector<ulong> low, Vector<ulong> high)
        => UsesPermute ? Middle24Permuted(low, high) : Middle24Narrowed(low, high);

    // The shift leaves exactly the 24 bits; narrowing keeps the low 32 bits of each value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<int> Top24Narrowed(Vector<ulong> low, Vector<ulong> high)
        => Vector.AsVectorInt32(Vector.Narrow(Vector.ShiftRightLogical(low, 40), Vector.ShiftRightLogical(high, 40)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<int> Middle24Narrowed(Vector<ulong> low, Vector<ulong> high)
        => Vector.AsVectorInt32(Vector.Narrow(Vector.ShiftRightLogical(low, 16), Vector.ShiftRightLogical(high, 16))) & new Vector<int>(0xFFFFFF);

    // The high (Top) or low (Middle, after the 64-bit shift) 32-bit halves of the eight values in one two-source permute.
    // Only valid when UsesPermute.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<int> Top24Permuted(Vector<ulong> low, Vector<ulong> high)
    {
        Vector256<int> odd = Vector256.Create(1, 3, 5, 7, 9, 11, 13, 15);
        Vector256<int> halves = Avx512F.VL.PermuteVar8x32x2(low.AsVector256().AsInt32(), odd, high.AsVector256().AsInt32());
        return Vector256.ShiftRightLogical(halves, 8).AsVector();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<int> Middle24Permuted(Vector<ulong> low, Vector<ulong> high)
    {
        Vector256<int> even = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        Vector256<int> halves = Avx512F.VL.PermuteVar8x32x2(Vector.ShiftRightLogical(low, 16).AsVector256().AsInt32(), even,
            Vector.ShiftRightLogical(high, 16).AsVector256().AsInt32());
        return (halves & Vector256.Create(0xFFFFFF)).AsVector();
    }

    /// <summary>The top 24 bits of the next value per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector<int> Next24(Vector<int> active)
    {
        Next(active, out Vector<ulong> low, out Vector<ulong> high);
        return Top24(low, high);
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

    /// <summary>Two independent uniforms on (0, 1] per lane from one 64-bit value (bits 40–63 and 16–39, plus one),
    /// every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NextUniformPairNonZero(out Vector<float> first, out Vector<float> second)
    {
        Next(out Vector<ulong> low, out Vector<ulong> high);
        first = Vector.ConvertToSingle(Top24(low, high) + Vector<int>.One) * new Vector<float>(Inverse24);
        second = Vector.ConvertToSingle(Middle24(low, high) + Vector<int>.One) * new Vector<float>(Inverse24);
    }

    /// <summary>
    /// Two independent N(0, 1) values per lane by Box–Muller (tails truncated at √(−2 ln 2⁻²⁴) ≈ 5.77), advancing only
    /// lanes in <paramref name="active"/>. One 64-bit value per lane supplies both uniforms: bits 40–63 (plus one) for
    /// the radius, bits 16–39 for the angle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NextNormalPair(Vector<int> active, out Vector<float> first, out Vector<float> second)
    {
        Next(active, out Vector<ulong> low, out Vector<ulong> high);
        BoxMuller(low, high, out first, out second);
    }

    /// <summary><see cref="NextNormalPair(Vector{int}, out Vector{float}, out Vector{float})"/> for every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NextNormalPair(out Vector<float> first, out Vector<float> second)
    {
        Next(out Vector<ulong> low, out Vector<ulong> high);
        BoxMuller(low, high, out first, out second);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BoxMuller(Vector<ulong> low, Vector<ulong> high, out Vector<float> first, out Vector<float> second)
    {
        Vector<float> u1 = Vector.ConvertToSingle(Top24(low, high) + Vector<int>.One) * new Vector<float>(Inverse24);
        // The angle 2πu₂ with u₂ = m·2⁻²⁴: quadrant m ≫ 22 and fraction (m mod 2²²)·2⁻²², both exact (what ⌊4u₂⌋ and
        // 4u₂ − ⌊4u₂⌋ give in float).
        Vector<int> m = Middle24(low, high);
        Vector<float> fraction = Vector.ConvertToSingle(m & new Vector<int>(0x3FFFFF)) * new Vector<float>(1f / (1 << 22));
        Vector<float> radius = Vector.SquareRoot(VectorMath.Log(u1) * new Vector<float>(-2f));
        VectorMath.CosSinQuarterTurns(Vector.ShiftRightLogical(m, 22), fraction, out Vector<float> cos, out Vector<float> sin);
        first = radius * cos;
        second = radius * sin;
    }
}
