using System.Numerics;

namespace LinAttn.Random;

/// <summary>
/// Gamma(k, 1) variates lane-wise: Marsaglia and Tsang's squeeze method, repeated for the lanes still rejected (each
/// lane's stream advances only while it draws), and Gamma(k) = Gamma(k + 1)·U^(1/k) for k &lt; 1. Float32.
/// </summary>
internal static class VectorGamma
{
    public static Vector<float> Sample(ref LaneRandom stream, float shape)
    {
        LaneRandom random = stream;      // a local copy the JIT can keep in registers through the rejection loop
        float a = shape < 1 ? shape + 1 : shape;
        var d = new Vector<float>(a - 1f / 3f);
        var c = new Vector<float>(1f / MathF.Sqrt(9f * (a - 1f / 3f)));
        Vector<float> result = Vector<float>.Zero;
        Vector<int> pending = new Vector<int>(-1);
        while (!Vector.EqualsAll(pending, Vector<int>.Zero))
        {
            random.NextNormalPair(pending, out Vector<float> x, out _);
            Vector<float> v = Vector.FusedMultiplyAdd(c, x, Vector<float>.One);
            Vector<int> positive = Vector.GreaterThan(v, Vector<float>.Zero);
            Vector<float> v3 = v * v * v;
            Vector<float> u = random.NextUniformNonZero(pending);
            Vector<float> x2 = x * x;
            Vector<int> squeeze = Vector.LessThan(u, Vector<float>.One - new Vector<float>(0.0331f) * x2 * x2);
            Vector<float> safeV3 = Vector.ConditionalSelect(positive, v3, Vector<float>.One);
            Vector<float> bound = Vector.FusedMultiplyAdd(d, Vector<float>.One - safeV3 + VectorMath.Log(safeV3), new Vector<float>(0.5f) * x2);
            Vector<int> full = Vector.LessThan(VectorMath.Log(u), bound);
            Vector<int> accept = pending & positive & (squeeze | full);
            result = Vector.ConditionalSelect(accept, d * v3, result);
            pending &= ~accept;
        }
        if (shape < 1)
        {
            Vector<float> u = random.NextUniformNonZero(new Vector<int>(-1));
            result *= VectorMath.ExpNonPositive(VectorMath.Log(u) * new Vector<float>(1f / shape));
        }
        stream = random;
        return result;
    }
}
