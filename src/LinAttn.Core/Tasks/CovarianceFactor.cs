using LinAttn.Internal;
using LinAttn.Random;

namespace LinAttn.Tasks;

/// <summary>
/// A covariance Σ = U D² Uᵀ given by an orthogonal U (d×d) and scales D (d). Gaussian covariates are drawn as
/// x = U D x_raw with x_raw ~ N(0, I); optionally w* = U D⁻¹ w_raw so that w* ~ N(0, Σ⁻¹) (Ahn et al. 2023 §4.3).
/// </summary>
public sealed record CovarianceFactor
{
    /// <summary>Creates the factor; <paramref name="rotation"/> is row-major d×d and must be orthogonal.</summary>
    public CovarianceFactor(double[] rotation, double[] scales)
    {
        Guard.NotNull(rotation);
        Guard.NotNull(scales);
        int d = scales.Length;
        Guard.Positive(d, nameof(scales));
        Guard.That(rotation.Length == d * d, nameof(rotation), $"rotation must be d×d = {d * d} values, but held {rotation.Length}.");
        foreach (double s in scales) Guard.Positive(s, nameof(scales));
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double dot = 0;
                for (int r = 0; r < d; r++) dot += rotation[r * d + i] * rotation[r * d + j];
                if (Math.Abs(dot - (i == j ? 1 : 0)) > 1e-8)
                    throw new ArgumentOutOfRangeException(nameof(rotation), "rotation must be orthogonal (UᵀU = I within 1e-8).");
            }
        }
        Rotation = rotation;
        Scales = scales;
    }

    /// <summary>U, row-major d×d.</summary>
    public double[] Rotation { get; }

    /// <summary>The diagonal of D; Σ has eigenvalues D².</summary>
    public double[] Scales { get; }

    /// <summary>d.</summary>
    public int Dimension => Scales.Length;

    /// <summary>The eigenvalues λ_i = D_i² of Σ.</summary>
    public double[] Eigenvalues => Array.ConvertAll(Scales, s => s * s);

    /// <summary>Σ = U D² Uᵀ, row-major.</summary>
    public double[] Covariance()
    {
        int d = Dimension;
        var sigma = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double sum = 0;
                for (int k = 0; k < d; k++) sum += Rotation[i * d + k] * Scales[k] * Scales[k] * Rotation[j * d + k];
                sigma[i * d + j] = sum;
            }
        return sigma;
    }

    /// <summary>
    /// The non-isotropic example of Ahn et al. (2023): U a random orthogonal matrix (QR of a Gaussian matrix,
    /// drawn from <paramref name="seed"/>) and D = diag(1, 1, 1/2, 1/4, 1), so Σ has eigenvalues (1, 1, 0.25, 0.0625, 1).
    /// </summary>
    public static CovarianceFactor PaperExample(ulong seed = 0)
        => new(RandomRotation(5, seed), new[] { 1.0, 1.0, 0.5, 0.25, 1.0 });

    /// <summary>A random orthogonal d×d matrix: Gram–Schmidt on a Gaussian matrix drawn from <paramref name="seed"/>.</summary>
    public static double[] RandomRotation(int dimension, ulong seed)
    {
        Guard.Positive(dimension, nameof(dimension));
        var random = CounterRandom.For(seed, StreamPurpose.TaskStructure, 1);
        var m = new double[dimension * dimension];
        random.FillGaussian(m);
        // Orthonormalise the columns (modified Gram–Schmidt).
        for (int c = 0; c < dimension; c++)
        {
            for (int prev = 0; prev < c; prev++)
            {
                double dot = 0;
                for (int r = 0; r < dimension; r++) dot += m[r * dimension + c] * m[r * dimension + prev];
                for (int r = 0; r < dimension; r++) m[r * dimension + c] -= dot * m[r * dimension + prev];
            }
            double norm = 0;
            for (int r = 0; r < dimension; r++) norm += m[r * dimension + c] * m[r * dimension + c];
            norm = Math.Sqrt(norm);
            for (int r = 0; r < dimension; r++) m[r * dimension + c] /= norm;
        }
        return m;
    }
}
