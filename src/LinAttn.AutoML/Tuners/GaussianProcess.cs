namespace LinAttn.AutoML.Tuners;

/// <summary>
/// Gaussian-process regression in one dimension (x ∈ [0, 1], e.g. the unit coordinate of log lr) with a squared
/// exponential kernel k(x, x') = σ² exp(−(x − x')² / 2ℓ²) plus noise τ², on standardised targets. ℓ and τ² are picked
/// from a small grid by the log marginal likelihood. Small n only (Cholesky, O(n³)).
/// </summary>
internal sealed class GaussianProcess
{
    private static readonly double[] LengthScales = { 0.05, 0.1, 0.2, 0.35, 0.6 };
    private static readonly double[] Noises = { 1e-4, 1e-3, 1e-2, 0.1 };
    private readonly double[] _x, _alpha;
    private readonly double[,] _chol;
    private readonly double _mean, _scale;

    public GaussianProcess(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count == 0) throw new ArgumentException("x and y must be non-empty and of equal length.");
        _x = x.ToArray();
        _mean = y.Average();
        double sd = Math.Sqrt(y.Sum(v => (v - _mean) * (v - _mean)) / y.Count);
        _scale = sd > 1e-12 ? sd : 1.0;
        double[] z = y.Select(v => (v - _mean) / _scale).ToArray();

        double best = double.NegativeInfinity;
        foreach (double l in LengthScales)
        {
            foreach (double n in Noises)
            {
                double[,] c = Cholesky(Kernel(_x, l, n));
                double[] a = Solve(c, z);
                double logDet = 0;
                for (int i = 0; i < _x.Length; i++) logDet += 2 * Math.Log(c[i, i]);
                double ll = -0.5 * Dot(z, a) - 0.5 * logDet;
                if (ll > best)
                {
                    best = ll;
                    LengthScale = l;
                    Noise = n;
                    _chol = c;
                    _alpha = a;
                }
            }
        }
        _chol ??= new double[0, 0];
        _alpha ??= Array.Empty<double>();
    }

    /// <summary>The chosen length scale ℓ.</summary>
    public double LengthScale { get; }

    /// <summary>The chosen noise variance τ² (standardised units).</summary>
    public double Noise { get; }

    /// <summary>Posterior mean and standard deviation at <paramref name="x"/>, in the units of y.</summary>
    public (double Mean, double Sd) Predict(double x)
    {
        var k = new double[_x.Length];
        for (int i = 0; i < k.Length; i++) k[i] = Rbf(x, _x[i], LengthScale);
        double mean = Dot(k, _alpha);
        double[] v = ForwardSubstitute(_chol, k);
        double variance = Math.Max(1e-12, 1.0 - Dot(v, v));
        return (_mean + _scale * mean, _scale * Math.Sqrt(variance));
    }

    private static double Rbf(double a, double b, double l) => Math.Exp(-(a - b) * (a - b) / (2 * l * l));

    private static double[,] Kernel(double[] x, double l, double noise)
    {
        int n = x.Length;
        var k = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                k[i, j] = Rbf(x[i], x[j], l) + (i == j ? noise + 1e-9 : 0);
        return k;
    }

    internal static double[,] Cholesky(double[,] a)
    {
        int n = a.GetLength(0);
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++) s -= c[i, k] * c[j, k];
                c[i, j] = i == j ? Math.Sqrt(Math.Max(s, 1e-12)) : s / c[j, j];
            }
        }
        return c;
    }

    private static double[] ForwardSubstitute(double[,] c, double[] b)
    {
        int n = b.Length;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= c[i, k] * y[k];
            y[i] = s / c[i, i];
        }
        return y;
    }

    private static double[] Solve(double[,] c, double[] b)
    {
        double[] y = ForwardSubstitute(c, b);
        int n = b.Length;
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < n; k++) s -= c[k, i] * x[k];
            x[i] = s / c[i, i];
        }
        return x;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
