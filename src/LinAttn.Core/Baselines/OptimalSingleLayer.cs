using LinAttn.Internal;
using LinAttn.Tasks;

namespace LinAttn.Baselines;

/// <summary>
/// The global optimum of a one-layer linear transformer for x ~ N(0, Σ = U Λ Uᵀ), w* ~ N(0, I) (Ahn et al. 2023,
/// Thm 1): P₀ = [[0, 0], [0, 1]], Q₀ = −[[U diag(1 / ((n+1)/n · λ_i + (1/n) Σ_k λ_k)) Uᵀ, 0], [0, 0]].
/// For Σ = I the block is −n/(n + d + 1) · I. Q₀ is symmetric, so it is the same in either Q convention.
/// </summary>
public static class OptimalSingleLayer
{
    /// <summary>The top-left d×d block of Q₀ (row-major), for context length n and covariance Σ (null: identity).</summary>
    public static double[] QBlock(int dimension, int contextLength, CovarianceFactor? covariance = null)
    {
        Guard.Positive(dimension, nameof(dimension));
        Guard.Positive(contextLength, nameof(contextLength));
        int d = dimension;
        double n = contextLength;
        double[] eigen = covariance?.Eigenvalues ?? Enumerable.Repeat(1.0, d).ToArray();
        Guard.That(eigen.Length == d, nameof(covariance), $"covariance has dimension {eigen.Length}, expected {d}.");
        double trace = eigen.Sum();
        var q = new double[d * d];
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                double sum = 0;
                for (int k = 0; k < d; k++)
                {
                    double u_rk = covariance is null ? (r == k ? 1 : 0) : covariance.Rotation[r * d + k];
                    double u_ck = covariance is null ? (c == k ? 1 : 0) : covariance.Rotation[c * d + k];
                    sum += u_rk * u_ck / ((n + 1) / n * eigen[k] + trace / n);
                }
                q[r * d + c] = -sum;
            }
        }
        return q;
    }

    /// <summary>Predictions of the optimal one-layer model: ŷ = −(1/n) Σ_i y_i x_qᵀ Q₀ x_i, i.e. one preconditioned GD step with A = −Q₀.</summary>
    public static double[] Predict(PromptBatch batch, CovarianceFactor? covariance = null)
    {
        Guard.NotNull(batch);
        double[] q = QBlock(batch.Dimension, batch.ContextLength, covariance);
        return GradientDescentBaselines.Preconditioned(batch, new[] { Array.ConvertAll(q, v => -v) });
    }
}
