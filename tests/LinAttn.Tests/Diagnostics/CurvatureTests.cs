using LinAttn.Diagnostics;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.Diagnostics;

/// <summary>Hessian spectrum, robust condition numbers and directional smoothness against closed forms and finite
/// differences.</summary>
public sealed class CurvatureTests : TorchTest
{
    private static readonly ModelOptions TwoLayers = new() { Dimension = 3, Layers = 2 };   // P = 36
    private static readonly PromptBatch Unused = new(1, 1, 3, new float[8], new float[1]);

    [Fact]
    public void Spectrum_AndRobustConditions_OfAKnownQuadratic()
    {
        int p = TwoLayers.ParameterCount;
        // Eigenvalues 1..36 with signs on a few: |λ| sorted is 1..36, lower median |λ|_(17) = 18, max 36.
        double[] eigenvalues = Enumerable.Range(1, p).Select(i => i % 7 == 0 ? -(double)i : i).ToArray();
        using var loss = QuadraticLoss.WithSpectrum(TwoLayers, eigenvalues, 1);
        HessianResult h = HessianAnalysis.Compute(loss, new double[p], Unused);
        Assert.True(Numerics.MaxRelativeError(h.Eigenvalues.ToArray(), eigenvalues.Order().ToArray()) < 1e-10);
        Assert.Equal(36.0 / 18.0, h.RobustCondition(RobustConditionDefinition.Eigenvalues), 10);
        double[] diagonal = Enumerable.Range(0, p).Select(i => Math.Abs(loss.A[i * p + i])).Order().ToArray();
        Assert.Equal(diagonal[^1] / diagonal[17], h.RobustCondition(RobustConditionDefinition.AbsoluteDiagonal), 12);
    }

    [Fact]
    public void RobustCondition_OfMagnitudes_UsesTheLowerMedian_AndKeepsZeros()
    {
        Assert.Equal(8.0 / 2.0, RobustConditionNumber.OfMagnitudes(new double[] { 0, -2, 4, 8 }), 12);   // lower median of {0,2,4,8} is 2
        Assert.Equal(double.PositiveInfinity, RobustConditionNumber.OfMagnitudes(new double[] { 0, 0, 0, 1 }));
        Assert.True(double.IsNaN(RobustConditionNumber.OfMagnitudes(Array.Empty<double>())));
    }

    [Fact]
    public void HessianDiagonal_OfTheModel_MatchesFiniteDifferences_AndTheLastPIsZero()
    {
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = 3, ContextLength = 8 }).Sample(64, 3, StreamPurpose.Evaluation, 0);
        double[] theta = Tensors.RandomParameters(TwoLayers, 7, 0.3);
        using var loss = new TorchSharpDifferentiableLoss(TwoLayers);
        HessianResult h = HessianAnalysis.Compute(loss, theta, batch);
        int p = theta.Length;
        const double step = 1e-5;
        var plus = new double[p];
        var minus = new double[p];
        var finite = new double[p];
        for (int i = 0; i < p; i++)
        {
            double[] up = (double[])theta.Clone(), down = (double[])theta.Clone();
            up[i] += step;
            down[i] -= step;
            loss.Gradient(up, batch, plus);
            loss.Gradient(down, batch, minus);
            finite[i] = (plus[i] - minus[i]) / (2 * step);
        }
        Assert.True(Numerics.MaxRelativeError(h.Diagonal.ToArray(), finite) < 1e-6);
        // Restricted: the last layer's P (9 entries) never reaches the prediction, so 9 diagonal entries and 9 eigenvalues are 0.
        Assert.Equal(9, h.Diagonal.Count(v => v == 0));
        Assert.True(h.Eigenvalues.Count(v => Math.Abs(v) < 1e-12 * Math.Abs(h.Eigenvalues[^1])) >= 9);
        // Trace and Frobenius norm are sums of eigenvalues and of their squares.
        Assert.Equal(h.Diagonal.Sum(), h.Eigenvalues.Sum(), 8);
        Assert.Equal(h.Matrix.Sum(v => v * v), h.Eigenvalues.Sum(v => v * v), 6);
    }

    [Fact]
    public void DirectionalSmoothness_OfAQuadratic_IsTheRayleighQuotient_WithItsSign()
    {
        int p = TwoLayers.ParameterCount;
        double[] eigenvalues = Enumerable.Range(1, p).Select(i => i - 10.0).ToArray();
        using var loss = QuadraticLoss.WithSpectrum(TwoLayers, eigenvalues, 2);
        var random = CounterRandom.For(3, 3);
        var u = new double[p];
        random.FillGaussian(u);
        double expected = 0;
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) expected += u[i] * loss.A[i * p + j] * u[j];
        expected /= u.Sum(v => v * v);
        Assert.Equal(expected, DirectionalSmoothness.Along(loss, new double[p], u.Select(v => 5 * v).ToArray(), Unused), 10);
        Assert.True(double.IsNaN(DirectionalSmoothness.Along(loss, new double[p], new double[p], Unused)));

        // Along a gradient-descent trajectory θ_{t+1} = θ_t − η∇f(θ_t), DS_t = g_tᵀ A g_t / ‖g_t‖²; an eigenvector
        // direction gives its (negative) eigenvalue exactly.
        var trajectory = new List<double[]>();
        var theta = new double[p];
        random.FillGaussian(theta);
        var g = new double[p];
        for (int t = 0; t < 5; t++)
        {
            trajectory.Add((double[])theta.Clone());
            loss.Gradient(theta, Unused, g);
            for (int i = 0; i < p; i++) theta[i] -= 0.01 * g[i];
        }
        trajectory.Add(theta);
        DirectionalSmoothnessResult result = DirectionalSmoothness.AlongTrajectory(loss, Enumerable.Range(0, 6).ToArray(), trajectory, Unused);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, result.Steps);
        for (int t = 0; t < 5; t++)
        {
            loss.Gradient(trajectory[t], Unused, g);
            double quotient = 0;
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) quotient += g[i] * loss.A[i * p + j] * g[j];
            Assert.Equal(quotient / g.Sum(v => v * v), result.Values[t], 9);
            Assert.Equal(Math.Sqrt(g.Sum(v => v * v)), result.GradientNorms[t], 9);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => DirectionalSmoothness.AlongTrajectory(loss, Enumerable.Range(0, 6).ToArray(), trajectory, Unused, new[] { 5 }));
    }

    [Fact]
    public void DirectionalSmoothness_OfTheModel_MatchesASecondDifferenceOfTheLoss()
    {
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = 3, ContextLength = 8 }).Sample(64, 4, StreamPurpose.Evaluation, 0);
        double[] theta = Tensors.RandomParameters(TwoLayers, 8, 0.3);
        var u = new double[theta.Length];
        var random = CounterRandom.For(5, 5);
        random.FillGaussian(u);
        double norm = Math.Sqrt(u.Sum(v => v * v));
        for (int i = 0; i < u.Length; i++) u[i] /= norm;
        using var loss = new TorchSharpDifferentiableLoss(TwoLayers);
        const double h = 1e-4;
        double f0 = loss.Loss(theta, batch);
        double fp = loss.Loss(theta.Select((t, i) => t + h * u[i]).ToArray(), batch);
        double fm = loss.Loss(theta.Select((t, i) => t - h * u[i]).ToArray(), batch);
        double expected = (fp - 2 * f0 + fm) / (h * h);
        Assert.Equal(expected, DirectionalSmoothness.Along(loss, theta, u, batch), Math.Abs(expected) * 1e-5);
    }
}
