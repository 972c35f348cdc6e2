using System.Numerics;
using System.Runtime.InteropServices;

namespace LinAttn.Diagnostics;

/// <summary>
/// The eigenvalues, and only the eigenvalues, of a real symmetric matrix: Householder reflections reduce it to a
/// tridiagonal matrix with the same spectrum, then implicit QL sweeps with a shift from the leading 2×2 block
/// diagonalise that. A full eigen-decomposition also accumulates the eigenvectors, which the robust condition numbers
/// and the spectra never read; without them the work is about n³ multiply-adds, done on SIMD rows.
/// </summary>
internal static class SymmetricEigenvalues
{
    private const int MaximumSweepsPerValue = 60;

    /// <summary>The eigenvalues of the symmetric n×n matrix <paramref name="matrix"/> (row-major), ascending.</summary>
    /// <exception cref="ArgumentException">The length is not n², or an entry is not finite.</exception>
    /// <exception cref="ArithmeticException">The QL sweeps did not converge (not seen for finite input).</exception>
    public static double[] Compute(ReadOnlySpan<double> matrix, int n)
    {
        if (n < 0 || matrix.Length != n * n)
            throw new ArgumentException($"the matrix must have n² = {n}² entries, but it has {matrix.Length}.", nameof(matrix));
        foreach (double value in matrix)
            if (!double.IsFinite(value)) throw new ArgumentException("the matrix has a non-finite entry.", nameof(matrix));
        var diagonal = new double[n];
        var offDiagonal = new double[n];   // offDiagonal[i] couples rows i and i + 1; the last one is 0
        Tridiagonalize(matrix.ToArray(), n, diagonal, offDiagonal);
        DiagonalizeTridiagonal(diagonal, offDiagonal);
        Array.Sort(diagonal);
        return diagonal;
    }

    // Step k reflects rows and columns k + 1 … n − 1 so that row k has zeros past k + 1: with x = A[k, k+1:], the
    // reflection H = I − β v vᵀ (v = x − α e₁, α = −sign(x₀)‖x‖) maps x to α e₁. The trailing block B becomes H B H =
    // B − v wᵀ − w vᵀ with p = β B v and w = p − (β vᵀp / 2) v. Symmetry lets row k stand for column k.
    private static void Tridiagonalize(double[] a, int n, double[] diagonal, double[] offDiagonal)
    {
        var v = new double[n];
        var w = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int first = k + 1, m = n - first;
            Span<double> x = a.AsSpan(k * n + first, m);
            double norm = 0;
            foreach (double value in x) norm += value * value;
            norm = Math.Sqrt(norm);
            diagonal[k] = a[k * n + k];
            if (norm == 0)
            {
                offDiagonal[k] = 0;
                continue;
            }
            double alpha = x[0] > 0 ? -norm : norm;
            Span<double> vk = v.AsSpan(0, m), wk = w.AsSpan(0, m);
            x.CopyTo(vk);
            vk[0] -= alpha;
            double beta = 1 / (norm * (norm + Math.Abs(x[0])));   // 2 / vᵀv, as vᵀv = 2‖x‖(‖x‖ + |x₀|)
            double vp = 0;
            for (int i = 0; i < m; i++)
            {
                double p = beta * Dot(a.AsSpan((first + i) * n + first, m), vk);
                wk[i] = p;
                vp += vk[i] * p;
            }
            double half = 0.5 * beta * vp;
            for (int i = 0; i < m; i++) wk[i] -= half * vk[i];
            for (int i = 0; i < m; i++) SubtractRankTwo(a.AsSpan((first + i) * n + first, m), vk, wk[i], wk, vk[i]);
            offDiagonal[k] = alpha;
        }
        if (n >= 2)
        {
            diagonal[n - 2] = a[(n - 2) * n + n - 2];
            offDiagonal[n - 2] = a[(n - 2) * n + n - 1];
        }
        if (n >= 1) diagonal[n - 1] = a[n * n - 1];
    }

    // Implicit QL on the tridiagonal matrix (d, e): for each l, sweep the unreduced block l … m with a shift taken from
    // its leading 2×2 block until e[l] is negligible; each sweep chases the bulge from the bottom up by Givens rotations.
    // An off-diagonal entry is negligible next to its two diagonal neighbours, or below ε‖T‖: the reduction itself
    // already perturbed the eigenvalues by that much. Without the second test, the blocks of rounding noise that a
    // rank-deficient matrix leaves (a Hessian with dead units) are swept without end, their entries sinking towards
    // the subnormal range.
    private static void DiagonalizeTridiagonal(double[] d, double[] e)
    {
        const double epsilon = 2.220446049250313e-16;
        int n = d.Length;
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(d[i]) + Math.Abs(e[i]) + (i > 0 ? Math.Abs(e[i - 1]) : 0));
        double floor = epsilon * norm;
        for (int l = 0; l < n; l++)
        {
            for (int sweeps = 0; ; sweeps++)
            {
                int m = l;
                while (m < n - 1 && Math.Abs(e[m]) > floor && Math.Abs(e[m]) > epsilon * (Math.Abs(d[m]) + Math.Abs(d[m + 1]))) m++;
                if (m == l) break;
                if (sweeps == MaximumSweepsPerValue)
                    throw new ArithmeticException($"the eigenvalue iteration did not converge after {MaximumSweepsPerValue} sweeps.");
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = double.Hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));   // d[m] − shift
                double s = 1, c = 1, p = 0;
                bool deflated = false;
                for (int i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    r = double.Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)   // an exact zero on the way: the block splits at i + 1
                    {
                        d[i + 1] -= p;
                        e[m] = 0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                }
                if (deflated) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ReadOnlySpan<Vector<double>> xv = MemoryMarshal.Cast<double, Vector<double>>(x), yv = MemoryMarshal.Cast<double, Vector<double>>(y);
        Vector<double> acc = Vector<double>.Zero;
        for (int i = 0; i < xv.Length; i++) acc = Vector.FusedMultiplyAdd(xv[i], yv[i], acc);
        double sum = Vector.Sum(acc);
        for (int i = xv.Length * Vector<double>.Count; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    // row −= a·u + b·z
    private static void SubtractRankTwo(Span<double> row, ReadOnlySpan<double> u, double a, ReadOnlySpan<double> z, double b)
    {
        Span<Vector<double>> rv = MemoryMarshal.Cast<double, Vector<double>>(row);
        ReadOnlySpan<Vector<double>> uv = MemoryMarshal.Cast<double, Vector<double>>(u), zv = MemoryMarshal.Cast<double, Vector<double>>(z);
        var av = new Vector<double>(a);
        var bv = new Vector<double>(b);
        for (int i = 0; i < rv.Length; i++) rv[i] -= av * uv[i] + bv * zv[i];
        for (int i = rv.Length * Vector<double>.Count; i < row.Length; i++) row[i] -= a * u[i] + b * z[i];
    }
}
