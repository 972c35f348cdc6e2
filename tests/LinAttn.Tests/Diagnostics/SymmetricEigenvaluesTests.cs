using LinAttn.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace LinAttn.Tests.Diagnostics;

/// <summary>
/// The eigenvalues-only solver against MathNet's full symmetric eigen-decomposition (an independent implementation),
/// the trace and Frobenius-norm invariants, and closed forms.
/// </summary>
public sealed class SymmetricEigenvaluesTests
{
    private static double[] RandomSymmetric(int n, int seed, double scale = 1)
    {
        var random = new System.Random(seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) a[i * n + j] = a[j * n + i] = (random.NextDouble() * 2 - 1) * scale;
        return a;
    }

    private static double[] MathNetEigenvalues(double[] a, int n)
    {
        if (n == 0) return Array.Empty<double>();
        double[] values = Matrix<double>.Build.Dense(n, n, (r, c) => a[r * n + c]).Evd(Symmetricity.Symmetric).EigenValues.Select(z => z.Real).ToArray();
        Array.Sort(values);
        return values;
    }

    private static void AssertSpectrum(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-300, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"λ_{i}: expected {expected[i]:R}, got {actual[i]:R}");
        for (int i = 1; i < actual.Length; i++) Assert.True(actual[i - 1] <= actual[i], "ascending");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(36)]
    [InlineData(151)]
    [InlineData(300)]
    public void RandomMatrices_MatchMathNet_AndTheInvariants(int n)
    {
        double[] a = RandomSymmetric(n, 100 + n);
        double[] values = SymmetricEigenvalues.Compute(a, n);
        AssertSpectrum(MathNetEigenvalues(a, n), values, 1e-12);
        double trace = 0, frobenius = 0;
        for (int i = 0; i < n; i++) trace += a[i * n + i];
        foreach (double x in a) frobenius += x * x;
        Assert.Equal(trace, values.Sum(), 1e-10 * Math.Max(1, n));
        Assert.Equal(frobenius, values.Sum(v => v * v), 1e-10 * Math.Max(1, frobenius));
    }

    [Fact]
    public void WideSpread_LikeAHessian_MatchesMathNet()
    {
        // Q diag(λ) Qᵀ with λ from −1e−3 to 1e3 over six decades and a random orthogonal Q (MathNet's QR of a random matrix).
        int n = 120;
        var random = new System.Random(5);
        double[] lambda = Enumerable.Range(0, n).Select(i => Math.Pow(10, -3 + 6.0 * i / (n - 1)) * (i % 9 == 0 ? -1 : 1)).ToArray();
        Matrix<double> q = Matrix<double>.Build.Dense(n, n, (_, _) => random.NextDouble() - 0.5).QR().Q;
        Matrix<double> m = q * Matrix<double>.Build.DenseOfDiagonalArray(lambda) * q.Transpose();
        double[] a = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) a[r * n + c] = 0.5 * (m[r, c] + m[c, r]);
        double[] values = SymmetricEigenvalues.Compute(a, n);
        AssertSpectrum(MathNetEigenvalues(a, n), values, 1e-12);
        AssertSpectrum(lambda.Order().ToArray(), values, 1e-11);
    }

    [Fact]
    public void ClosedForms_Diagonal_Repeated_RankOne_Zero_AndTridiagonal()
    {
        // Diagonal (already reduced): the diagonal, sorted.
        double[] diagonal = { 3, -1, 2, 2, 0, 5 };
        var d = new double[36];
        for (int i = 0; i < 6; i++) d[i * 6 + i] = diagonal[i];
        Assert.Equal(diagonal.Order().ToArray(), SymmetricEigenvalues.Compute(d, 6));
        // 2I + u uᵀ: 2 (n − 1 times) and 2 + |u|².
        int n = 40;
        double[] u = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1)).ToArray();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i * n + j] = (i == j ? 2 : 0) + u[i] * u[j];
        double[] expected = Enumerable.Repeat(2.0, n - 1).Append(2 + u.Sum(x => x * x)).ToArray();
        AssertSpectrum(expected, SymmetricEigenvalues.Compute(a, n), 1e-13);
        // The zero matrix.
        Assert.All(SymmetricEigenvalues.Compute(new double[25], 5), v => Assert.Equal(0, v));
        // The second-difference matrix tridiag(−1, 2, −1): 2 − 2cos(kπ/(n + 1)).
        n = 50;
        var t = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            t[i * n + i] = 2;
            if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = -1;
        }
        expected = Enumerable.Range(1, n).Select(k => 2 - 2 * Math.Cos(k * Math.PI / (n + 1))).Order().ToArray();
        AssertSpectrum(expected, SymmetricEigenvalues.Compute(t, n), 1e-13);
    }

    [Fact]
    public void BadInput_IsRefused_NamingTheRule()
    {
        var wrongLength = Assert.Throws<ArgumentException>(() => SymmetricEigenvalues.Compute(new double[8], 3));
        Assert.Contains("n² = 3²", wrongLength.Message);
        double[] a = RandomSymmetric(4, 1);
        a[5] = double.NaN;
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => SymmetricEigenvalues.Compute(a, 4)).Message);
    }

    [Fact]
    public void HessianResult_UsesIt_AndGivesNaNForANonFiniteMatrix()
    {
        double[] a = RandomSymmetric(6, 3);
        Assert.Equal(SymmetricEigenvalues.Compute(a, 6), new HessianResult(a, 6, "test", 0).Eigenvalues);
        a[7] = a[12] = double.PositiveInfinity;
        Assert.All(new HessianResult(a, 6, "test", 0).Eigenvalues, v => Assert.True(double.IsNaN(v)));
    }

    [Theory]
    [InlineData(200, 60)]
    [InlineData(551, 345)]
    public void RankDeficient_WithZeroRows_LikeTheNonlinearModelsHessian(int n, int rank)
    {
        // A nonlinear run's 551-parameter Hessian had 206 zero rows (dead units) and hundreds of eigenvalues at rounding
        // level: the reduced matrix then has blocks of pure rounding noise, which a test relative to the local diagonal
        // alone never declares converged. Here: Q diag(λ) Qᵀ of rank `rank`, embedded with zero rows between.
        var random = new System.Random(n);
        int live = rank + (n - rank) / 3;
        double[] lambda = Enumerable.Range(0, live).Select(i => i < rank ? Math.Pow(10, -4 + 4.0 * i / rank) * (i % 7 == 0 ? -1 : 1) : 0).ToArray();
        Matrix<double> q = Matrix<double>.Build.Dense(live, live, (_, _) => random.NextDouble() - 0.5).QR().Q;
        Matrix<double> b = q * Matrix<double>.Build.DenseOfDiagonalArray(lambda) * q.Transpose();
        int[] rows = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(live).Order().ToArray();
        var a = new double[n * n];
        for (int r = 0; r < live; r++)
            for (int c = 0; c < live; c++) a[rows[r] * n + rows[c]] = 0.5 * (b[r, c] + b[c, r]);
        double[] values = SymmetricEigenvalues.Compute(a, n);
        double[] expected = lambda.Concat(Enumerable.Repeat(0.0, n - live)).Order().ToArray();
        AssertSpectrum(expected, values, 1e-12);
    }
}
