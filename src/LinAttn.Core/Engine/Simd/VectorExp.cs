using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LinAttn.Engine.Simd;

/// <summary>
/// eˣ for x ≤ 0 on 256- and 512-bit vectors and single values (the softmax of max-subtracted scores), our own derivation:
/// x = n·ln2 + r with n = round(x/ln2), r from a two-constant (Cody–Waite) split so the reduction is exact to the last
/// bit, e^r by its Taylor series on |r| ≤ ln2/2 (Horner with FMAs; degree 7 for float, whose remainder is below
/// 1.1e-8 relative, degree 13 for double, below 5e-18), times 2ⁿ built in the exponent field. Arguments below the
/// smallest normal result (−87 float, −708 double) give 0. The scalar overloads do the same operations, so results do
/// not depend on the SIMD width.
/// </summary>
/// <remarks>The runtime's <c>Vector512.Exp</c> handles every argument and costs several times more: in the softmax
/// kernel it took more than half of the step (measured with <c>-- token</c>). The exponent n is clamped with
/// <c>MaxNative</c> and converted with <c>ConvertToInt32Native</c>/<c>ConvertToInt64Native</c> (one instruction each on
/// x86, where the IEEE <c>Max</c> and the saturating conversion cost five): for x ≤ 0, n is integral and within
/// [−126, 0] (float) or [−1022, 0] (double) after the clamp, where both give the same values; a NaN argument gives NaN
/// either way.</remarks>
internal static class VectorExp
{
    private const double Ln2 = 0.6931471805599453;
    private const double Ln2Low = 2.3190468138462996e-17;   // ln 2 − Ln2, for the double reduction
    private const float Ln2HighF = 45426f / 65536;          // ln 2 to 16 bits of mantissa: n·Ln2HighF is exact for |n| < 2⁸
    private const float Ln2LowF = 1.42860677e-6f;            // ln 2 − Ln2HighF
    private const double Log2E = 1.4426950408889634;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NonPositive(Vector512<float> x)
    {
        Vector512<float> n = Vector512.Floor(Vector512.FusedMultiplyAdd(x, Vector512.Create((float)Log2E), Vector512.Create(0.5f)));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2HighF), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2LowF), r);
        Vector512<float> p = Vector512.Create(1f / 5040);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        Vector512<float> scale = Vector512.ShiftLeft(Vector512.ConvertToInt32Native(Vector512.MaxNative(n, Vector512.Create(-126f))) + Vector512.Create(127), 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-87f)), Vector512<float>.Zero, p * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NonPositive(Vector256<float> x)
    {
        Vector256<float> n = Vector256.Floor(Vector256.FusedMultiplyAdd(x, Vector256.Create((float)Log2E), Vector256.Create(0.5f)));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2HighF), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2LowF), r);
        Vector256<float> p = Vector256.Create(1f / 5040);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 720));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 120));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 24));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        Vector256<float> scale = Vector256.ShiftLeft(Vector256.ConvertToInt32Native(Vector256.MaxNative(n, Vector256.Create(-126f))) + Vector256.Create(127), 23).AsSingle();
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-87f)), Vector256<float>.Zero, p * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> NonPositive(Vector512<double> x)
    {
        Vector512<double> n = Vector512.Floor(Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(0.5)));
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        Vector512<double> p = Vector512.Create(1.0 / 6227020800);
        foreach (double c in DoubleTaylor) p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(c));
        Vector512<double> scale = Vector512.ShiftLeft(Vector512.ConvertToInt64Native(Vector512.MaxNative(n, Vector512.Create(-1022.0))) + Vector512.Create(1023L), 52).AsDouble();
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-708.0)), Vector512<double>.Zero, p * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> NonPositive(Vector256<double> x)
    {
        Vector256<double> n = Vector256.Floor(Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(0.5)));
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        Vector256<double> p = Vector256.Create(1.0 / 6227020800);
        foreach (double c in DoubleTaylor) p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(c));
        Vector256<double> scale = Vector256.ShiftLeft(Vector256.ConvertToInt64Native(Vector256.MaxNative(n, Vector256.Create(-1022.0))) + Vector256.Create(1023L), 52).AsDouble();
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-708.0)), Vector256<double>.Zero, p * scale);
    }

    /// <summary>The float lanes' operations on one value, in the same order, so a scalar lane equals a vector lane bit for bit.</summary>
    public static float NonPositive(float x)
    {
        float n = MathF.Floor(MathF.FusedMultiplyAdd(x, (float)Log2E, 0.5f));
        float r = MathF.FusedMultiplyAdd(n, -Ln2HighF, x);
        r = MathF.FusedMultiplyAdd(n, -Ln2LowF, r);
        float p = 1f / 5040;
        p = MathF.FusedMultiplyAdd(p, r, 1f / 720);
        p = MathF.FusedMultiplyAdd(p, r, 1f / 120);
        p = MathF.FusedMultiplyAdd(p, r, 1f / 24);
        p = MathF.FusedMultiplyAdd(p, r, 1f / 6);
        p = MathF.FusedMultiplyAdd(p, r, 0.5f);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        float scale = BitConverter.Int32BitsToSingle(((int)MathF.Max(n, -126f) + 127) << 23);
        return x < -87f ? 0f : p * scale;
    }

    /// <summary>The double lanes' operations on one value, in the same order, so a scalar lane equals a vector lane bit for bit.</summary>
    public static double NonPositive(double x)
    {
        double n = Math.Floor(Math.FusedMultiplyAdd(x, Log2E, 0.5));
        double r = Math.FusedMultiplyAdd(n, -Ln2, x);
        r = Math.FusedMultiplyAdd(n, -Ln2Low, r);
        double p = 1.0 / 6227020800;
        foreach (double c in DoubleTaylor) p = Math.FusedMultiplyAdd(p, r, c);
        double scale = BitConverter.Int64BitsToDouble(((long)Math.Max(n, -1022.0) + 1023L) << 52);
        return x < -708.0 ? 0.0 : p * scale;
    }

    // 1/12!, 1/11!, …, 1/1!, 1/0!: the Horner coefficients after the leading 1/13!.
    private static ReadOnlySpan<double> DoubleTaylor => new[]
    {
        1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24,
        1.0 / 6, 0.5, 1.0, 1.0,
    };
}
