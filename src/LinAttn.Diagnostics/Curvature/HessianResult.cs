namespace LinAttn.Diagnostics;

/// <summary>The Hessian ∇²f(θ) of a loss on a batch, with its diagonal, its eigenvalues (computed on first use, without
/// eigenvectors: <see cref="SymmetricEigenvalues"/>) and robust condition numbers.</summary>
public sealed class HessianResult
{
    private readonly double[] _matrix;
    private double[]? _eigenvalues;

    internal HessianResult(double[] matrix, int parameterCount, string method, double seconds)
    {
        _matrix = matrix;
        ParameterCount = parameterCount;
        Method = method;
        Seconds = seconds;
        var diagonal = new double[parameterCount];
        for (int i = 0; i < parameterCount; i++) diagonal[i] = matrix[i * parameterCount + i];
        Diagonal = diagonal;
    }

    /// <summary>P, the number of parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>The P×P matrix, row-major, symmetric.</summary>
    public IReadOnlyList<double> Matrix => _matrix;

    /// <summary>diag ∇²f(θ).</summary>
    public IReadOnlyList<double> Diagonal { get; }

    /// <summary>How the Hessian was computed (from <c>IDifferentiableLoss.HessianMethod</c>).</summary>
    public string Method { get; }

    /// <summary>Wall-clock seconds to compute the matrix (the eigen-decomposition is not included).</summary>
    public double Seconds { get; }

    /// <summary>Entry (row, column).</summary>
    public double this[int row, int column] => _matrix[row * ParameterCount + column];

    /// <summary>The eigenvalues λ_1 ≤ … ≤ λ_P, ascending (Householder tridiagonalisation and QL, about P³ multiply-adds
    /// on first use); all NaN when an entry of the matrix is not finite (a model on its way to divergence).</summary>
    public IReadOnlyList<double> Eigenvalues => _eigenvalues ??= ComputeEigenvalues();

    /// <summary>R_med under <paramref name="definition"/> (see <see cref="RobustConditionNumber"/>).</summary>
    public double RobustCondition(RobustConditionDefinition definition = RobustConditionDefinition.AbsoluteDiagonal)
        => RobustConditionNumber.Of(this, definition);

    private double[] ComputeEigenvalues()
        => Array.TrueForAll(_matrix, double.IsFinite)
            ? SymmetricEigenvalues.Compute(_matrix, ParameterCount)
            : Enumerable.Repeat(double.NaN, ParameterCount).ToArray();
}
