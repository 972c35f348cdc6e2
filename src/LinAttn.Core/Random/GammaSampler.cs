namespace LinAttn.Random;

/// <summary>
/// Gamma(shape k, scale θ) variates by Marsaglia and Tsang's squeeze method, with the boost
/// Gamma(k) = Gamma(k + 1) · U^(1/k) for k &lt; 1 (so shape 0.1, the paper's heavy-tailed setting, is exact).
/// Mean kθ, variance kθ².
/// </summary>
public static class GammaSampler
{
    /// <summary>Draws one Gamma(<paramref name="shape"/>, <paramref name="scale"/>) value from <paramref name="random"/>.</summary>
    /// <param name="random">The stream to draw from.</param>
    /// <param name="shape">k &gt; 0.</param>
    /// <param name="scale">θ &gt; 0.</param>
    public static double Sample(ref CounterRandom random, double shape, double scale)
    {
        if (shape < 1.0)
        {
            // log-space keeps U^(1/k) accurate when it is far below the smallest normal double's square root.
            double boost = Math.Exp(Math.Log(random.NextDoubleNonZero()) / shape);
            return SampleShapeAtLeastOne(ref random, shape + 1.0) * boost * scale;
        }
        return SampleShapeAtLeastOne(ref random, shape) * scale;
    }

    private static double SampleShapeAtLeastOne(ref CounterRandom random, double shape)
    {
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = random.NextGaussian();
                v = 1.0 + c * x;
            } while (v <= 0.0);
            v = v * v * v;
            double u = random.NextDoubleNonZero();
            double x2 = x * x;
            if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
            if (Math.Log(u) < 0.5 * x2 + d * (1.0 - v + Math.Log(v))) return d * v;
        }
    }
}
