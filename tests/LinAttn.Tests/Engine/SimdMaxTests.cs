using System.Runtime.Intrinsics;
using LinAttn.Engine.Simd;

namespace LinAttn.Tests.Engine;

/// <summary>
/// <see cref="ISimdOps{TVec, T}.Max"/> (the softmax's running max) on every vector type the engine picks from: the
/// larger of two ordered, distinct inputs on every type; where the CPU accelerates the type, exactly x86's maxps rule
/// (a where a &gt; b, else b), which the scalar types implement, so the SIMD width never changes a value.
/// </summary>
public sealed class SimdMaxTests
{
    private static readonly double[] Values = { -2.5, -1e-30, -0.0, 0.0, 1e-30, 3.25, double.NaN, double.NegativeInfinity, double.PositiveInfinity };

    private static void Check<TOps, TVec, T>(bool exact)
        where TOps : struct, ISimdOps<TVec, T>
        where TVec : unmanaged
        where T : unmanaged
    {
        foreach (double left in Values)
            foreach (double right in Values)
            {
                double a = TOps.ToDouble(TOps.FromDouble(left)), b = TOps.ToDouble(TOps.FromDouble(right));
                TVec result = TOps.Max(TOps.Broadcast(TOps.FromDouble(left)), TOps.Broadcast(TOps.FromDouble(right)));
                for (int lane = 0; lane < TOps.Width; lane++)
                {
                    double actual = TOps.ToDouble(TOps.GetLane(result, lane));
                    string what = $"{typeof(TOps).Name}: Max({a}, {b}) = {actual}";
                    if (!double.IsNaN(a) && !double.IsNaN(b) && a != b) Assert.True(actual == Math.Max(a, b), what);
                    if (!exact) continue;
                    double expected = a > b ? a : b;
                    Assert.True(BitConverter.DoubleToInt64Bits(actual) == BitConverter.DoubleToInt64Bits(expected) || double.IsNaN(actual) && double.IsNaN(expected),
                        $"{what}, expected {expected} (sign {double.IsNegative(expected)})");
                }
            }
    }

    [Fact]
    public void Scalars() { Check<FloatScalar, float, float>(exact: true); Check<DoubleScalar, double, double>(exact: true); }

    [Fact]
    public void Vector256Lanes()
    {
        Check<Float256, Vector256<float>, float>(Vector256.IsHardwareAccelerated);
        Check<Double256, Vector256<double>, double>(Vector256.IsHardwareAccelerated);
    }

    [Fact]
    public void Vector512Lanes()
    {
        Check<Float512, Vector512<float>, float>(Vector512.IsHardwareAccelerated);
        Check<Double512, Vector512<double>, double>(Vector512.IsHardwareAccelerated);
    }
}
