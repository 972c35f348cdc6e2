using System.Runtime.Intrinsics;
using LinAttn.Engine.Simd;

namespace LinAttn.Tests.Engine;

/// <summary>
/// <see cref="ISimdOps{TVec, T}.Relu"/> on every vector type the engine picks from: 0 below zero, the input otherwise,
/// with NaN kept (a diverging run must stay visible) and −0 kept; the vector types must agree with the scalar ones.
/// (Vector types the CPU does not accelerate run in .NET's software fallback, which must obey the same rule.)
/// </summary>
public sealed class SimdReluTests
{
    private static readonly double[] Inputs = { -2.5, -1e-30, -0.0, 0.0, 1e-30, 3.25, double.NaN, double.NegativeInfinity, double.PositiveInfinity };

    private static void Check<TOps, TVec, T>()
        where TOps : struct, ISimdOps<TVec, T>
        where TVec : unmanaged
        where T : unmanaged
    {
        foreach (double input in Inputs)
        {
            T x = TOps.FromDouble(input);
            double value = TOps.ToDouble(x);   // the input as T holds it (1e-30 stays non-zero in float too)
            TVec result = TOps.Relu(TOps.Broadcast(x));
            for (int lane = 0; lane < TOps.Width; lane++)
            {
                double actual = TOps.ToDouble(TOps.GetLane(result, lane));
                if (double.IsNaN(value)) Assert.True(double.IsNaN(actual), $"{typeof(TOps).Name}: Relu(NaN) = {actual}");
                else if (value < 0) Assert.True(actual == 0 && !double.IsNegative(actual), $"{typeof(TOps).Name}: Relu({value}) = {actual}");
                else Assert.True(actual.Equals(value) && double.IsNegative(actual) == double.IsNegative(value),
                    $"{typeof(TOps).Name}: Relu({value}) = {actual}, sign {double.IsNegative(actual)}");
            }
        }
    }

    [Fact]
    public void Scalars() { Check<FloatScalar, float, float>(); Check<DoubleScalar, double, double>(); }

    [Fact]
    public void Vector256Lanes()
    {
        Check<Float256, Vector256<float>, float>();
        Check<Double256, Vector256<double>, double>();
    }

    [Fact]
    public void Vector512Lanes()
    {
        Check<Float512, Vector512<float>, float>();
        Check<Double512, Vector512<double>, double>();
    }
}
