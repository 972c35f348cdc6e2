using LinAttn.Baselines;
using LinAttn.Random;
using LinAttn.Tasks;

namespace LinAttn.Tests.Baselines;

public sealed class BaselineTests
{
    // One prompt, d = 2, n = 3, written out by hand.
    private static PromptBatch HandPrompt()
    {
        float[] tokens =
        {
            1, 0, 2,      // x1 = (1, 0), y1 = 2
            0, 1, -1,     // x2 = (0, 1), y2 = −1
            1, 1, 1,      // x3 = (1, 1), y3 = 1
            2, 3, 0,      // query x = (2, 3)
        };
        return new PromptBatch(1, 3, 2, tokens, new float[] { 1 });
    }

    [Fact]
    public void OneGdStep_IsEtaOverNTimesSumOfYiXiDotXq()
    {
        // (η/n) Σ y_i ⟨x_i, x_q⟩ = (0.6/3)(2·2 − 1·3 + 1·5) = 1.2
        Assert.Equal(1.2, GradientDescentBaselines.OneStep(HandPrompt(), 0.6)[0], 6);
    }

    [Fact]
    public void LeastSquares_SolvesTheNormalEquations()
    {
        // XᵀX = [[2,1],[1,2]], Xᵀy = [3, 0] → w = [2, −1], ⟨w, x_q⟩ = 1.
        Assert.Equal(1.0, RidgeRegression.LeastSquares(HandPrompt())[0], 6);
        // Ridge λ: (XᵀX + λI)⁻¹Xᵀy; λ = 1 → [[3,1],[1,3]]⁻¹[3,0] = [9/8, −3/8] → 9/4 − 9/8 = 1.125.
        Assert.Equal(1.125, RidgeRegression.Predict(HandPrompt(), 1.0)[0], 6);
    }

    [Fact]
    public void LeastSquares_WithFewerPointsThanDimensions_IsTheMinimumNormSolution()
    {
        // One point x1 = (1, 1), y1 = 2 in d = 2: minimum-norm w = x1 y1/‖x1‖² = (1, 1); query (3, −1) → 2.
        float[] tokens = { 1, 1, 2, 3, -1, 0 };
        var batch = new PromptBatch(1, 1, 2, tokens, new float[] { 0 });
        Assert.Equal(2.0, RidgeRegression.LeastSquares(batch)[0], 6);
    }

    [Fact]
    public void TheoremOneQ_ForIsotropicData_IsMinusNOverNPlusDPlusOne()
    {
        double[] q = OptimalSingleLayer.QBlock(5, 20);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(i == j ? -20.0 / 26 : 0, q[i * 5 + j], 12);
    }

    [Fact]
    public void TheoremOnePredictor_BeatsNeighbouringStepSizes()
    {
        // Monte Carlo check of optimality: the closed-form step η* = n/(n+d+1) has lower risk than η*·0.8 and η*·1.25.
        PromptBatch batch = new PromptSampler(new TaskOptions()).Sample(40_000, 1, StreamPurpose.Evaluation, 0);
        double optimal = RidgeRegression.MeanSquaredError(batch, OptimalSingleLayer.Predict(batch));
        double eta = 20.0 / 26;
        Assert.True(optimal < RidgeRegression.MeanSquaredError(batch, GradientDescentBaselines.OneStep(batch, eta * 0.8)));
        Assert.True(optimal < RidgeRegression.MeanSquaredError(batch, GradientDescentBaselines.OneStep(batch, eta * 1.25)));
        // Closed-form risk of one GD step with η for x, w ~ N(0, I): E = d(1 − 2η + η²(n + d + 1)/n).
        double expected = 5 * (1 - 2 * eta + eta * eta * 26 / 20);
        Assert.InRange(optimal, expected * 0.97, expected * 1.03);
    }

    [Fact]
    public void TheoremOne_WithCovariance_UsesItsEigenvalues()
    {
        CovarianceFactor cov = CovarianceFactor.PaperExample(1);
        double[] q = OptimalSingleLayer.QBlock(5, 20, cov);
        // Q₀ = −U diag(1/((n+1)/n λ_i + tr/n)) Uᵀ: check via Q₀ u_k = −u_k/((21/20) λ_k + tr/20) for each eigenvector u_k.
        double trace = cov.Eigenvalues.Sum();
        for (int k = 0; k < 5; k++)
        {
            double factor = -1 / (21.0 / 20 * cov.Eigenvalues[k] + trace / 20);
            for (int r = 0; r < 5; r++)
            {
                double qu = Enumerable.Range(0, 5).Sum(c => q[r * 5 + c] * cov.Rotation[c * 5 + k]);
                Assert.Equal(factor * cov.Rotation[r * 5 + k], qu, 10);
            }
        }
    }
}
