using System.Numerics;
using System.Runtime.CompilerServices;

namespace LinAttn.Random;

/// <summary>
/// Lane-wise float32 log, exp and sin/cos for the vectorised samplers, from series we derived ourselves:
/// ln via the atanh series on a mantissa reduced to [√½, √2), exp via 2ⁿ·Taylor on |r| ≤ ln2/2, sin/cos via quadrant
/// reduction and Taylor polynomials on [0, π/2). Truncation errors are below 6e-8 relative, under float rounding.
/// Every operation is an IEEE operation or an FMA, so results do not depend on the vector width.
/// </summary>
internal static class VectorMath
{
    private const float Ln2 = 0.6931471805599453f;

    /// <summary>ln x for x &gt; 0 (normal floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log(Vector<float> x)
    {
        Vector<int> bits = Vector.AsVectorInt32(x);
        Vector<int> exponent = Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(127);
        Vector<float> mantissa = Vector.AsVectorSingle((bits & new Vector<int>(0x007FFFFF)) | new Vector<int>(0x3F800000));   // [1, 2)
        Vector<int> high = Vector.GreaterThan(mantissa, new Vector<float>(1.41421356f));
        mantissa = Vector.ConditionalSelect(high, mantissa * new Vector<float>(0.5f), mantissa);           // [√½, √2)
        exponent -= high;                                                                                  // high is −1 where true
        Vector<float> t = (mantissa - Vector<float>.One) / (mantissa + Vector<float>.One);
        Vector<float> t2 = t * t;
        // ln m = 2 atanh t = 2t (1 + t²/3 + t⁴/5 + t⁶/7 + t⁸/9), |t| ≤ 0.1716
        Vector<float> series = Vector.FusedMultiplyAdd(t2, new Vector<float>(1f / 9), new Vector<float>(1f / 7));
        series = Vector.FusedMultiplyAdd(t2, series, new Vector<float>(1f / 5));
        series = Vector.FusedMultiplyAdd(t2, series, new Vector<float>(1f / 3));
        series = Vector.FusedMultiplyAdd(t2, series, Vector<float>.One);
        return Vector.FusedMultiplyAdd(Vector.ConvertToSingle(exponent), new Vector<float>(Ln2), (t + t) * series);
    }

    /// <summary>eˣ for x ≤ 0 (flushes to 0 below about −87).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpNonPositive(Vector<float> x)
    {
        x = Vector.Max(x, new Vector<float>(-87f));
        Vector<float> n = Vector.Floor(Vector.FusedMultiplyAdd(x, new Vector<float>(1.44269504f), new Vector<float>(0.5f)));
        Vector<float> r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2), x);                         // |r| ≤ ln2/2
        // e^r = Σ_{i ≤ 7} rⁱ/i!
        Vector<float> p = new Vector<float>(1f / 5040);
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 720));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 120));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 24));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 6));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(0.5f));
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        Vector<int> exponent = Vector.ConvertToInt32(n) + new Vector<int>(127);
        Vector<int> valid = Vector.GreaterThan(exponent, Vector<int>.Zero);
        Vector<float> scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.Max(exponent, Vector<int>.Zero), 23));
        return Vector.ConditionalSelect(valid, p * scale, Vector<float>.Zero);
    }

    /// <summary>cos θ and sin θ for θ = (q + f)·π/2, quadrant q in 0…3 and fraction f in [0, 1): the angle 2πu for
    /// u = (q + f)/4, split by the caller (Box–Muller takes q and f straight from the integer bits of u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CosSinQuarterTurns(Vector<int> quadrant, Vector<float> fraction, out Vector<float> cos, out Vector<float> sin)
    {
        Vector<float> phi = fraction * new Vector<float>(1.57079633f);                                    // [0, π/2)
        Vector<float> p2 = phi * phi;
        // sin φ = φ(1 − φ²/3! + φ⁴/5! − … − φ¹⁰/11!), cos φ = 1 − φ²/2! + … + φ¹²/12!
        Vector<float> s = new Vector<float>(-1f / 39916800);
        s = Vector.FusedMultiplyAdd(s, p2, new Vector<float>(1f / 362880));
        s = Vector.FusedMultiplyAdd(s, p2, new Vector<float>(-1f / 5040));
        s = Vector.FusedMultiplyAdd(s, p2, new Vector<float>(1f / 120));
        s = Vector.FusedMultiplyAdd(s, p2, new Vector<float>(-1f / 6));
        s = Vector.FusedMultiplyAdd(s, p2, Vector<float>.One) * phi;
        Vector<float> c = new Vector<float>(1f / 479001600);
        c = Vector.FusedMultiplyAdd(c, p2, new Vector<float>(-1f / 3628800));
        c = Vector.FusedMultiplyAdd(c, p2, new Vector<float>(1f / 40320));
        c = Vector.FusedMultiplyAdd(c, p2, new Vector<float>(-1f / 720));
        c = Vector.FusedMultiplyAdd(c, p2, new Vector<float>(1f / 24));
        c = Vector.FusedMultiplyAdd(c, p2, new Vector<float>(-0.5f));
        c = Vector.FusedMultiplyAdd(c, p2, Vector<float>.One);
        // θ = qπ/2 + φ: q=0 (c, s); q=1 (−s, c); q=2 (−c, −s); q=3 (s, −c). Odd q swaps the two; the signs are sign-bit
        // flips (what negation does): cos is negative for q = 1, 2 (bit 0 xor bit 1), sin for q = 2, 3 (bit 1).
        Vector<int> odd = Vector.ShiftRightArithmetic(Vector.ShiftLeft(quadrant, 31), 31);
        Vector<float> cosAbs = Vector.ConditionalSelect(odd, s, c);
        Vector<float> sinAbs = Vector.ConditionalSelect(odd, c, s);
        Vector<int> cosSign = Vector.ShiftLeft(quadrant ^ Vector.ShiftRightLogical(quadrant, 1), 31);
        Vector<int> sinSign = Vector.ShiftLeft(Vector.ShiftRightLogical(quadrant, 1), 31);
        cos = Vector.AsVectorSingle(Vector.AsVectorInt32(cosAbs) ^ cosSign);
        sin = Vector.AsVectorSingle(Vector.AsVectorInt32(sinAbs) ^ sinSign);
    }
}
