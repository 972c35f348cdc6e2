using LinAttn.Random;

namespace LinAttn.Tests.Diagnostics;

/// <summary>Samples with known laws for the tail estimators (drawn from the library's counter-based generator).</summary>
internal static class Samples
{
    public static double[] Gaussian(int n, ulong seed)
    {
        var random = CounterRandom.For(seed, 7001);
        var x = new double[n];
        random.FillGaussian(x);
        return x;
    }

    /// <summary>Student-t with integer ν dof: Z / sqrt(Σ_{j ≤ ν} Z_j² / ν).</summary>
    public static double[] StudentT(int n, int dof, ulong seed)
    {
        var random = CounterRandom.For(seed, 7002);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = random.NextGaussian(), chi = 0;
            for (int j = 0; j < dof; j++)
            {
                double g = random.NextGaussian();
                chi += g * g;
            }
            x[i] = z / Math.Sqrt(chi / dof);
        }
        return x;
    }

    /// <summary>Pareto with index α and scale 1: P(X &gt; x) = x^(−α) for x ≥ 1, drawn as U^(−1/α).</summary>
    public static double[] Pareto(int n, double alpha, ulong seed)
    {
        var random = CounterRandom.For(seed, 7003);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.Pow(random.NextDoubleNonZero(), -1.0 / alpha);
        return x;
    }

    public static double[] Uniform(int n, ulong seed)
    {
        var random = CounterRandom.For(seed, 7004);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = random.NextDouble();
        return x;
    }

    /// <summary>Laplace(0, 1): the difference of two unit exponentials.</summary>
    public static double[] Laplace(int n, ulong seed)
    {
        var random = CounterRandom.For(seed, 7005);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = -Math.Log(random.NextDoubleNonZero()) + Math.Log(random.NextDoubleNonZero());
        return x;
    }

    public static double[] Abs(double[] x) => x.Select(Math.Abs).ToArray();
}
