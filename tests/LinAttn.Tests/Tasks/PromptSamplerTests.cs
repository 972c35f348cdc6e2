using LinAttn.Baselines;
using LinAttn.Random;
using LinAttn.Tasks;

namespace LinAttn.Tests.Tasks;

public sealed class PromptSamplerTests
{
    private static PromptBatch Sample(TaskOptions task, int batch, ulong seed = 1, int? threads = 1)
        => new PromptSampler(task).Sample(batch, seed, StreamPurpose.Training, 0, threads);

    // E[x xᵀ] over all covariates (context and query) of a batch.
    private static double[,] SecondMoment(PromptBatch batch)
    {
        int d = batch.Dimension, n = batch.ContextLength;
        var m = new double[d, d];
        long count = 0;
        for (int b = 0; b < batch.BatchSize; b++)
            for (int t = 0; t <= n; t++, count++)
            {
                int o = b * batch.PromptStride + t * (d + 1);
                for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) m[i, j] += batch.Tokens[o + i] * (double)batch.Tokens[o + j];
            }
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) m[i, j] /= count;
        return m;
    }

    [Fact]
    public void Layout_HasZeroQueryLabel_AndNoiseFreeLinearLabels()
    {
        PromptBatch batch = Sample(new TaskOptions(), 200);
        Assert.Equal(200 * 21 * 6, batch.Tokens.Length);
        for (int b = 0; b < batch.BatchSize; b++) Assert.Equal(0f, batch.Tokens[b * batch.PromptStride + 20 * 6 + 5]);
        // With n = 20 ≥ d noise-free labels, least squares on the context recovers w* and predicts the target exactly.
        double[] ls = RidgeRegression.LeastSquares(batch);
        for (int b = 0; b < batch.BatchSize; b++) Assert.True(Math.Abs(ls[b] - batch.Targets[b]) < 1e-3 * (1 + Math.Abs(batch.Targets[b])));
    }

    [Fact]
    public void Gaussian_HasIdentityCovariance_AndLabelVarianceD()
    {
        PromptBatch batch = Sample(new TaskOptions(), 20_000);
        double[,] m = SecondMoment(batch);
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) Assert.InRange(m[i, j], (i == j ? 1 : 0) - 0.02, (i == j ? 1 : 0) + 0.02);
        double labelVariance = batch.Targets.Select(v => (double)v * v).Average();    // E[y²] = E‖w‖² = d = 5: the loss starts near 5
        Assert.InRange(labelVariance, 4.8, 5.2);
    }

    [Fact]
    public void Sphere_HasUnitNorms_AndCovarianceIdentityOverD()
    {
        PromptBatch batch = Sample(new TaskOptions { Covariates = CovariateDistribution.Sphere }, 10_000);
        for (int t = 0; t < 21 * 50; t++)
        {
            double norm = 0;
            for (int j = 0; j < 5; j++) norm += batch.Tokens[t * 6 + j] * (double)batch.Tokens[t * 6 + j];
            Assert.InRange(Math.Sqrt(norm), 1 - 1e-6, 1 + 1e-6);
        }
        double[,] m = SecondMoment(batch);
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) Assert.InRange(m[i, j], (i == j ? 0.2 : 0) - 0.01, (i == j ? 0.2 : 0) + 0.01);
    }

    [Fact]
    public void Gamma_ShapeTwoPointFive_IsExactlyStandardNormal_InMoments()
    {
        // k = 2.5, θ = √(10/k) = 2 gives ‖x‖² ~ χ²₅, so x ~ N(0, I₅): covariance I and kurtosis 3 per coordinate.
        PromptBatch batch = Sample(new TaskOptions { Covariates = CovariateDistribution.Gamma, GammaShape = 2.5 }, 20_000);
        double[,] m = SecondMoment(batch);
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) Assert.InRange(m[i, j], (i == j ? 1 : 0) - 0.02, (i == j ? 1 : 0) + 0.02);
        var first = Enumerable.Range(0, batch.BatchSize * 21).Select(t => (double)batch.Tokens[t * 6]).ToArray();
        double kurtosis = first.Select(v => v * v * v * v).Average() / Math.Pow(first.Select(v => v * v).Average(), 2);
        Assert.InRange(kurtosis, 2.9, 3.1);
    }

    [Fact]
    public void Gamma_PaperShape_HasUnitMeanSquaredNorm_AndVarianceTen()
    {
        // k = 0.1: E‖x‖² = kθ = 1 and Var‖x‖² = kθ² = 10 (PAPER.md 2.2).
        PromptBatch batch = Sample(new TaskOptions { Covariates = CovariateDistribution.Gamma, GammaShape = 0.1 }, 40_000);
        var squaredNorms = Enumerable.Range(0, batch.BatchSize * 21).Select(t =>
        {
            double s = 0;
            for (int j = 0; j < 5; j++) s += batch.Tokens[t * 6 + j] * (double)batch.Tokens[t * 6 + j];
            return s;
        }).ToArray();
        double mean = squaredNorms.Average();
        double variance = squaredNorms.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, 0.97, 1.03);
        Assert.InRange(variance, 9.0, 11.0);
    }

    [Fact]
    public void Covariance_IsUDSquaredUt_AndWeightsFollowInverse()
    {
        CovarianceFactor cov = CovarianceFactor.PaperExample(3);
        var task = new TaskOptions { Covariance = cov, WeightsFromInverseCovariance = true };
        PromptBatch batch = Sample(task, 20_000);
        double[] sigma = cov.Covariance();
        double[,] m = SecondMoment(batch);
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) Assert.InRange(m[i, j], sigma[i * 5 + j] - 0.02, sigma[i * 5 + j] + 0.02);
        // y = ⟨w, x⟩ with w ~ N(0, Σ⁻¹), x ~ N(0, Σ): E[y²] = tr(Σ⁻¹Σ) = d.
        Assert.InRange(batch.Targets.Select(v => (double)v * v).Average(), 4.8, 5.2);
    }

    [Fact]
    public void LabelNoise_Fixed_HasTheRequestedVariance()
    {
        const double sigma = 0.5;
        var task = new TaskOptions { ContextLength = 200, Noise = LabelNoise.Fixed(sigma) };
        PromptBatch batch = Sample(task, 300);
        // Residuals of least squares on 200 noisy points estimate σ² (n − d)/n; the target stays noise-free.
        double residual = ContextResidualVariance(batch);
        Assert.InRange(residual, sigma * sigma * 0.95 * 195 / 200, sigma * sigma * 1.05 * 195 / 200);
    }

    [Fact]
    public void LabelNoise_UniformAndCategorical_DrawSigmaPerPrompt()
    {
        var uniform = Sample(new TaskOptions { ContextLength = 200, Noise = LabelNoise.Uniform(2.0) }, 400);
        Assert.InRange(ContextResidualVariance(uniform), 4.0 / 3 * 0.85, 4.0 / 3 * 1.15);   // E[σ²] = σ_max²/3
        var categorical = Sample(new TaskOptions { ContextLength = 200, Noise = LabelNoise.Categorical(1, 3) }, 400);
        var perPrompt = PerPromptResidualVariance(categorical);
        Assert.All(perPrompt, v => Assert.True(Math.Abs(v - 1) < 0.5 || Math.Abs(v - 9) < 3, $"σ² estimate {v} is near neither 1 nor 9"));
        Assert.Contains(perPrompt, v => v < 2);
        Assert.Contains(perPrompt, v => v > 5);
    }

    [Fact]
    public void NonlinearTarget_IsLinearInTheFeatureMap()
    {
        var task = new TaskOptions { Target = TargetFunction.RandomReluFeatures };
        PromptBatch batch = Sample(task, 50);
        var map = new ReluFeatureMap(5, TaskOptions.Defaults.FeatureHiddenWidth, TaskOptions.Defaults.FeatureMapSeed);
        // Replace each covariate by φ(x): least squares then fits exactly; on raw x it does not.
        var featureTokens = (float[])batch.Tokens.Clone();
        var hidden = new double[10];
        var phi = new double[5];
        for (int t = 0; t < batch.BatchSize * 21; t++)
        {
            double[] x = Enumerable.Range(0, 5).Select(j => (double)batch.Tokens[t * 6 + j]).ToArray();
            map.Apply(x, hidden, phi);
            for (int j = 0; j < 5; j++) featureTokens[t * 6 + j] = (float)phi[j];
        }
        var features = new PromptBatch(50, 20, 5, featureTokens, batch.Targets);
        double featureError = RidgeRegression.MeanSquaredError(features, RidgeRegression.LeastSquares(features));
        double rawError = RidgeRegression.MeanSquaredError(batch, RidgeRegression.LeastSquares(batch));
        Assert.True(featureError < 1e-6, $"feature-space error {featureError}");
        Assert.True(rawError > 1e-3, $"raw-space error {rawError}");
    }

    [Fact]
    public void Batches_AreReproducible_AndIndependentOfThreadCount()
    {
        var sampler = new PromptSampler(new TaskOptions { Covariates = CovariateDistribution.Gamma });
        PromptBatch one = sampler.Sample(1000, 5, StreamPurpose.Training, 17, maxThreads: 1);
        PromptBatch two = sampler.Sample(1000, 5, StreamPurpose.Training, 17, maxThreads: 2);
        PromptBatch other = sampler.Sample(1000, 5, StreamPurpose.Training, 18, maxThreads: 2);
        Assert.Equal(one.Tokens, two.Tokens);
        Assert.Equal(one.Targets, two.Targets);
        Assert.NotEqual(one.Targets, other.Targets);
    }

    [Theory]
    [InlineData("Dimension")]
    [InlineData("ContextLength")]
    [InlineData("GammaShape")]
    public void Validate_NamesTheBadOption(string option)
    {
        TaskOptions task = option switch
        {
            "Dimension" => new TaskOptions { Dimension = 0 },
            "ContextLength" => new TaskOptions { ContextLength = 0 },
            _ => new TaskOptions { GammaShape = -1 },
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PromptSampler(task));
        Assert.Equal(option, e.ParamName);
    }

    private static double ContextResidualVariance(PromptBatch batch) => PerPromptResidualVariance(batch).Average();

    // Per prompt: mean squared residual of the least-squares fit on the context.
    private static double[] PerPromptResidualVariance(PromptBatch batch)
    {
        int n = batch.ContextLength, d = batch.Dimension;
        var result = new double[batch.BatchSize];
        for (int b = 0; b < batch.BatchSize; b++)
        {
            // Predict each context label from the same context: reuse LeastSquares by making each context point a query.
            var tokens = new float[n * (n + 1) * (d + 1)];
            var targets = new float[n];
            for (int q = 0; q < n; q++)
            {
                Array.Copy(batch.Tokens, b * batch.PromptStride, tokens, q * (n + 1) * (d + 1), n * (d + 1));
                Array.Copy(batch.Tokens, b * batch.PromptStride + q * (d + 1), tokens, (q * (n + 1) + n) * (d + 1), d);
                targets[q] = batch.Tokens[b * batch.PromptStride + q * (d + 1) + d];
            }
            var probes = new PromptBatch(n, n, d, tokens, targets);
            result[b] = RidgeRegression.MeanSquaredError(probes, RidgeRegression.LeastSquares(probes));
        }
        return result;
    }
}
