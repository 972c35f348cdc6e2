using LinAttn.Benchmarks.Harness;
using LinAttn.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace LinAttn.Benchmarks;

/// <summary>
/// The Hessian spectrum's cost: MathNet's full symmetric eigen-decomposition (values and vectors; what
/// <c>HessianResult.Eigenvalues</c> used until the eighth performance round) against the eigenvalues-only
/// <see cref="SymmetricEigenvalues"/>, alternating, one thread, for the recipes' Hessian sizes (150: L = 3;
/// 400: L = 8; 551: the nonlinear figure's model). Prints medians, the ratio and the largest eigenvalue difference.
/// </summary>
internal static class EigenvaluesBenchmark
{
    public static void Run(int repeats)
    {
        Console.WriteLine($"{"P",5} {"MathNet Evd",30} {"eigenvalues only",30} {"ratio",8} {"max |Δλ| / max |λ|",20}");
        foreach (int n in new[] { 150, 400, 551 })
        {
            double[] a = HessianLike(n, n);
            Matrix<double> m = Matrix<double>.Build.Dense(n, n, (r, c) => a[r * n + c]);
            double[] reference = m.Evd(Symmetricity.Symmetric).EigenValues.Select(z => z.Real).Order().ToArray();
            double[] ours = SymmetricEigenvalues.Compute(a, n);
            double difference = reference.Zip(ours, (x, y) => Math.Abs(x - y)).Max() / reference.Max(Math.Abs);
            var (mathNet, valuesOnly, ratio) = Timing.MeasureAlternating(
                () => m.Evd(Symmetricity.Symmetric), () => SymmetricEigenvalues.Compute(a, n), iterations: 1, repeats: repeats, warmup: 4);
            Console.WriteLine($"{n,5} {mathNet.Format(),30} {valuesOnly.Format(),30} {ratio,7:F1}x {difference,20:E1}");
        }
    }

    // A symmetric matrix with eigenvalues spread over six decades, a few negative (like the recipes' Hessians).
    private static double[] HessianLike(int n, int seed)
    {
        var random = new System.Random(seed);
        double[] lambda = Enumerable.Range(0, n).Select(i => Math.Pow(10, -3 + 6.0 * i / (n - 1)) * (i % 9 == 0 ? -1 : 1)).ToArray();
        Matrix<double> q = Matrix<double>.Build.Dense(n, n, (_, _) => random.NextDouble() - 0.5).QR().Q;
        Matrix<double> h = q * Matrix<double>.Build.DenseOfDiagonalArray(lambda) * q.Transpose();
        var a = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) a[r * n + c] = 0.5 * (h[r, c] + h[c, r]);
        return a;
    }
}
