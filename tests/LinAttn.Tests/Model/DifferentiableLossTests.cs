using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using TorchSharp;

namespace LinAttn.Tests.Model;

/// <summary>Gradient, Hessian-vector products and Hessians by double backward, against finite differences and a closed form.</summary>
public sealed class DifferentiableLossTests : TorchTest
{
    [Theory]
    [InlineData(Parametrization.Restricted, ScoreActivation.Identity)]
    [InlineData(Parametrization.Full, ScoreActivation.Identity)]
    [InlineData(Parametrization.Restricted, ScoreActivation.Softmax)]
    public void HessianVectorProduct_MatchesFiniteDifferencesOfGradients(Parametrization parametrization, ScoreActivation activation)
    {
        var model = new ModelOptions { Dimension = 3, Layers = 2, Heads = 2, Parametrization = parametrization, Activation = activation };
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = 3, ContextLength = 6 }).Sample(16, 1, StreamPurpose.Evaluation, 0);
        double[] theta = Tensors.RandomParameters(model, 4, 0.3);
        var v = new double[theta.Length];
        var random = CounterRandom.For(9, 9);
        random.FillGaussian(v);

        using var loss = new TorchSharpDifferentiableLoss(model);
        var hv = new double[theta.Length];
        loss.HessianVectorProduct(theta, batch, v, hv);

        const double h = 1e-5;
        var plus = new double[theta.Length];
        var minus = new double[theta.Length];
        loss.Gradient(theta.Select((t, i) => t + h * v[i]).ToArray(), batch, plus);
        loss.Gradient(theta.Select((t, i) => t - h * v[i]).ToArray(), batch, minus);
        double[] finite = plus.Select((p, i) => (p - minus[i]) / (2 * h)).ToArray();
        Assert.True(Numerics.MaxRelativeError(hv, finite) < 1e-7, $"error {Numerics.MaxRelativeError(hv, finite):E2}");
    }

    [Fact]
    public void Hessian_IsSymmetric_AndAgreesWithHessianVectorProducts()
    {
        var model = new ModelOptions { Dimension = 3, Layers = 2 };
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = 3, ContextLength = 8 }).Sample(32, 2, StreamPurpose.Evaluation, 0);
        double[] theta = Tensors.RandomParameters(model, 5, 0.3);
        using var loss = new TorchSharpDifferentiableLoss(model);
        double[] hessian = loss.Hessian(theta, batch);
        int p = theta.Length;
        var v = Enumerable.Range(0, p).Select(i => Math.Sin(i + 1.0)).ToArray();
        var hv = new double[p];
        loss.HessianVectorProduct(theta, batch, v, hv);
        var product = Enumerable.Range(0, p).Select(r => Enumerable.Range(0, p).Sum(c => hessian[r * p + c] * v[c])).ToArray();
        Assert.True(Numerics.MaxRelativeError(product, hv) < 1e-10);
        for (int r = 0; r < p; r++) for (int c = 0; c < p; c++) Assert.Equal(hessian[r * p + c], hessian[c * p + r]);
        // Restricted: the last layer's P never reaches the prediction, so its rows of the Hessian are zero.
        int lastP = model.Offset(1, 0, 0, 0, 0);
        for (int c = 0; c < p; c++) Assert.Equal(0.0, hessian[lastP * p + c]);
    }

    [Fact]
    public void OneLayerPreconditionedGd_HessianMatchesClosedForm()
    {
        // ŷ_b = Σ_rc Q_rc a_b[r, c] with a_b[r, c] = −(1/n) Σ_i y_i x_q[r] x_i[c]: f is quadratic, H = (2/B) Σ_b a_b a_bᵀ.
        const int d = 4, n = 10, batchSize = 50;
        var model = new ModelOptions { Dimension = d, Layers = 1, Parametrization = Parametrization.PreconditionedGd };
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = n }).Sample(batchSize, 3, StreamPurpose.Evaluation, 0);
        int p = d * d;
        var expected = new double[p * p];
        for (int b = 0; b < batchSize; b++)
        {
            int o = b * batch.PromptStride;
            var a = new double[p];
            for (int r = 0; r < d; r++)
                for (int c = 0; c < d; c++)
                {
                    double sum = 0;
                    for (int i = 0; i < n; i++) sum += batch.Tokens[o + i * (d + 1) + d] * (double)batch.Tokens[o + n * (d + 1) + r] * batch.Tokens[o + i * (d + 1) + c];
                    a[r * d + c] = -sum / n;
                }
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) expected[i * p + j] += 2.0 / batchSize * a[i] * a[j];
        }
        using var loss = new TorchSharpDifferentiableLoss(model);
        double[] hessian = loss.Hessian(Tensors.RandomParameters(model, 6, 0.5), batch);
        Assert.True(Numerics.MaxRelativeError(hessian, expected) < 1e-10);
    }

    [Fact]
    public void Gradient_MatchesTheTrainingBackend()
    {
        var model = new ModelOptions { Precision = Precision.Float64 };
        PromptBatch batch = new PromptSampler(new TaskOptions()).Sample(64, 1, StreamPurpose.Evaluation, 0);
        double[] theta = LinearTransformer.InitialParameters(model, 3);
        using var loss = new TorchSharpDifferentiableLoss(model);
        var gradient = new double[theta.Length];
        double value = loss.Gradient(theta, batch, gradient);
        using var module = new LinearTransformer(model, theta);
        using var t = batch.ToTensors(TorchSharp.torch.CPU, Precision.Float64);
        var reference = module.Loss(t.Tokens, t.Targets);
        reference.backward();
        Assert.Equal(reference.ReadDouble(), value, 12);
        Assert.True(Numerics.MaxRelativeError(gradient, Tensors.ToDoubles(module.Weights.grad!)) < 1e-12);
        Assert.Equal(value, loss.Loss(theta, batch), 12);
    }
}
