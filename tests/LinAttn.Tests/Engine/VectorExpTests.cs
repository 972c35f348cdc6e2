using System.Runtime.Intrinsics;
using LinAttn.Engine.Simd;

namespace LinAttn.Tests.Engine;

/// <summary><see cref="VectorExp"/> against <see cref="Math.Exp(double)"/> over the whole non-positive range.</summary>
public sealed class VectorExpTests
{
    // x from 0 down to `lowest`, dense near 0 (where softmax weights live) and across every binade of the result.
    private static double[] Arguments(double lowest)
    {
        var values = new List<double> { 0, -1e-30, -1e-7, -0.5 * Math.Log(2), -Math.Log(2), -1, lowest };
        for (int i = 1; i < 20_000; i++) values.Add(lowest * i / 20_000.0 + 1e-3 * Math.Sin(i));
        return values.Where(v => v <= 0 && v >= lowest).ToArray();
    }

    [Fact]
    public void Float_IsWithin3e7RelativeOfExp_AndEveryWidthAgrees()
    {
        float[] x = Arguments(-87).Select(v => (float)v).ToArray();
        double worst = 0;
        for (int i = 0; i + 16 <= x.Length; i += 16)
        {
            Vector512<float> wide = VectorExp.NonPositive(Vector512.Create(x.AsSpan(i, 16)));
            Vector256<float> low = VectorExp.NonPositive(Vector256.Create(x.AsSpan(i, 8))), high = VectorExp.NonPositive(Vector256.Create(x.AsSpan(i + 8, 8)));
            for (int lane = 0; lane < 16; lane++)
            {
                double exact = Math.Exp(x[i + lane]);
                worst = Math.Max(worst, Math.Abs(wide.GetElement(lane) - exact) / exact);
                Assert.Equal(wide.GetElement(lane), lane < 8 ? low.GetElement(lane) : high.GetElement(lane - 8));
                Assert.Equal(wide.GetElement(lane), VectorExp.NonPositive(x[i + lane]));
            }
        }
        Assert.True(worst < 3e-7, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void Double_IsWithin1e15RelativeOfExp_AndEveryWidthAgrees()
    {
        double[] x = Arguments(-708);
        double worst = 0;
        for (int i = 0; i + 8 <= x.Length; i += 8)
        {
            Vector512<double> wide = VectorExp.NonPositive(Vector512.Create(x.AsSpan(i, 8)));
            Vector256<double> low = VectorExp.NonPositive(Vector256.Create(x.AsSpan(i, 4))), high = VectorExp.NonPositive(Vector256.Create(x.AsSpan(i + 4, 4)));
            for (int lane = 0; lane < 8; lane++)
            {
                double exact = Math.Exp(x[i + lane]);
                worst = Math.Max(worst, Math.Abs(wide.GetElement(lane) - exact) / exact);
                Assert.Equal(wide.GetElement(lane), lane < 4 ? low.GetElement(lane) : high.GetElement(lane - 4));
                Assert.Equal(wide.GetElement(lane), VectorExp.NonPositive(x[i + lane]));
            }
        }
        Assert.True(worst < 1e-15, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void BelowTheSmallestNormalResult_IsZero_AndNaNPropagates()
    {
        Assert.Equal(0f, VectorExp.NonPositive(Vector512.Create(-88f)).GetElement(0));
        Assert.Equal(0f, VectorExp.NonPositive(Vector256.Create(float.NegativeInfinity)).GetElement(3));
        Assert.Equal(0.0, VectorExp.NonPositive(Vector512.Create(-1e6)).GetElement(7));
        Assert.Equal(0.0, VectorExp.NonPositive(Vector256.Create(double.NegativeInfinity)).GetElement(0));
        Assert.True(float.IsNaN(VectorExp.NonPositive(Vector512.Create(float.NaN)).GetElement(5)));
        Assert.True(double.IsNaN(VectorExp.NonPositive(Vector256.Create(double.NaN)).GetElement(1)));
        // Exponents far below the clamp (and NaN) on every width: the clamp and the native conversion must not wrap.
        Assert.Equal(0f, VectorExp.NonPositive(Vector512.Create(-1e30f)).GetElement(1));
        Assert.Equal(0f, VectorExp.NonPositive(Vector256.Create(float.MinValue)).GetElement(6));
        Assert.Equal(0.0, VectorExp.NonPositive(Vector512.Create(double.MinValue)).GetElement(2));
        Assert.Equal(0.0, VectorExp.NonPositive(Vector256.Create(-1e300)).GetElement(3));
        Assert.True(float.IsNaN(VectorExp.NonPositive(Vector256.Create(float.NaN)).GetElement(2)));
        Assert.True(double.IsNaN(VectorExp.NonPositive(Vector512.Create(double.NaN)).GetElement(6)));
        Assert.Equal(0f, VectorExp.NonPositive(-88f));
        Assert.Equal(0.0, VectorExp.NonPositive(double.NegativeInfinity));
        Assert.True(double.IsNaN(VectorExp.NonPositive(double.NaN)) && float.IsNaN(VectorExp.NonPositive(float.NaN)));
    }
}
