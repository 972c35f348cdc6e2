using LinAttn.Baselines;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using TorchSharp;

namespace LinAttn.Tests.Model;

/// <summary>Ahn et al. 2023, Lemma 1: a PreconditionedGd layer is one preconditioned GD step (in our Q convention Q = −A).</summary>
public sealed class PreconditionedGdIdentityTests : TorchTest
{
    [Fact]
    public void OneLayer_WithQMinusEtaIdentity_IsOneGdStepFromZero()
    {
        const int d = 5;
        const double eta = 0.7;
        var options = new ModelOptions { Dimension = d, Layers = 1, Parametrization = Parametrization.PreconditionedGd };
        var theta = new double[options.ParameterCount];
        for (int i = 0; i < d; i++) theta[options.Offset(0, 0, 0, i, i)] = -eta;
        PromptBatch batch = new PromptSampler(new TaskOptions()).Sample(64, 1, StreamPurpose.Training, 0);

        using var model = new LinearTransformer(options, theta);
        using var t = batch.ToTensors(torch.CPU, Precision.Float32);
        double[] model32 = Tensors.ToDoubles(model.Predict(t.Tokens, null));
        double[] gd = GradientDescentBaselines.OneStep(batch, eta);
        for (int b = 0; b < batch.BatchSize; b++)
            Assert.True(Math.Abs(model32[b] - gd[b]) <= 1e-5 * Math.Max(1, Math.Abs(gd[b])), $"prompt {b}: {model32[b]} vs {gd[b]}");
    }

    [Fact]
    public void ThreeLayers_EqualThreePreconditionedGdSteps_WithNonSymmetricMatrices()
    {
        const int d = 4, layers = 3;
        var options = new ModelOptions { Dimension = d, Layers = layers, Parametrization = Parametrization.PreconditionedGd, Precision = Precision.Float64 };
        double[] theta = Tensors.RandomParameters(options, 21, 0.2);
        // Preconditioners A_ℓ with Q_ℓ = −A_ℓ (our convention). Non-symmetric, so a transposed convention would fail.
        var preconditioners = Enumerable.Range(0, layers)
            .Select(l => Enumerable.Range(0, d * d).Select(i => -theta[options.Offset(l, 0, 0, i / d, i % d)]).ToArray())
            .ToArray();
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = 12 }).Sample(32, 2, StreamPurpose.Training, 0);

        using var model = new LinearTransformer(options, theta);
        using var t = batch.ToTensors(torch.CPU, Precision.Float64);
        double[] predicted = Tensors.ToDoubles(model.Predict(t.Tokens, null));
        double[] pgd = GradientDescentBaselines.Preconditioned(batch, preconditioners);
        Assert.True(Numerics.MaxRelativeError(predicted, pgd) < 1e-10);

        double[] transposedPgd = GradientDescentBaselines.Preconditioned(batch, preconditioners.Select(a => Transpose(a, d)).ToArray());
        Assert.True(Numerics.MaxRelativeError(predicted, transposedPgd) > 1e-3, "the test must distinguish Q from Qᵀ");
    }

    private static double[] Transpose(double[] a, int d) => Enumerable.Range(0, d * d).Select(i => a[(i % d) * d + i / d]).ToArray();
}
