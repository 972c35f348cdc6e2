using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using TorchSharp;

namespace LinAttn.Tests.Model;

/// <summary>The optional feature MLP on x (the authors' nonlinear-regression model): layout, initialisation, forward
/// against an independent managed computation, and gradients against finite differences.</summary>
public sealed class FeatureMlpTests : TorchTest
{
    private static readonly ModelOptions Nonlinear = new()
    {
        Parametrization = Parametrization.Full, InitStd = 0.1, FeatureMlpWidth = 30, Precision = Precision.Float64,
    };

    [Fact]
    public void Layout_IsTheAuthorsFiveHundredFiftyOneParameters()
    {
        Assert.Equal(216, Nonlinear.AttentionParameterCount);
        Assert.Equal(335, Nonlinear.FeatureMlpParameterCount);   // 30·5 + 30 + 5·30 + 5
        Assert.Equal(551, Nonlinear.ParameterCount);
        Assert.Equal(new long[] { 551 }, Nonlinear.ParameterShape);
        using var model = new LinearTransformer(Nonlinear, 0);
        Assert.Equal(new long[] { 551 }, model.Weights.shape);
        Assert.Equal(new long[] { 3, 1, 2, 6, 6 }, Nonlinear.AttentionShape);
        Assert.Throws<ArgumentOutOfRangeException>(() => (Nonlinear with { FeatureMlpWidth = -1 }).Validate());
    }

    [Fact]
    public void Initialisation_IsNormalForAttention_AndPyTorchUniformForTheMlp()
    {
        double[] theta = LinearTransformer.InitialParameters(Nonlinear, 3);
        double[] mlp = theta[216..];
        Assert.All(mlp[..180], v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(5)));      // W₁, b₁: fan_in 5
        Assert.All(mlp[180..], v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(30)));     // W₂, b₂: fan_in 30
        Assert.True(mlp[..180].Max() > 0.9 / Math.Sqrt(5));
        double std = Math.Sqrt(theta[..216].Select(v => v * v).Average());
        Assert.InRange(std, 0.085, 0.115);
        Assert.Equal(LinearTransformer.InitialParameters(Nonlinear with { FeatureMlpWidth = 0 }, 3), theta[..216]);
    }

    [Fact]
    public void Forward_EqualsTheAttentionStackOnManuallyMappedTokens()
    {
        double[] theta = Tensors.RandomParameters(Nonlinear, 5, 0.3);
        PromptBatch batch = new PromptSampler(new TaskOptions()).Sample(16, 2, StreamPurpose.Evaluation, 0);
        // φ(x) = W₂ ReLU(W₁ x + b₁) + b₂ on every token's x, computed in managed code.
        int d = 5, h = 30, o = 216;
        float[] mapped = (float[])batch.Tokens.Clone();
        var values = new double[mapped.Length];
        for (int t = 0; t < mapped.Length / 6; t++)
        {
            var hidden = new double[h];
            for (int j = 0; j < h; j++)
            {
                double sum = theta[o + h * d + j];
                for (int i = 0; i < d; i++) sum += theta[o + j * d + i] * batch.Tokens[t * 6 + i];
                hidden[j] = Math.Max(0, sum);
            }
            for (int i = 0; i < d; i++)
            {
                double sum = theta[o + 2 * h * d + h + i];
                for (int j = 0; j < h; j++) sum += theta[o + h * d + h + i * h + j] * hidden[j];
                values[t * 6 + i] = sum;
            }
            values[t * 6 + d] = batch.Tokens[t * 6 + d];
        }
        using var withMlp = new LinearTransformer(Nonlinear, theta);
        using var attentionOnly = new LinearTransformer(Nonlinear with { FeatureMlpWidth = 0 }, theta[..216]);
        using var tokens = batch.ToTensors(torch.CPU, Precision.Float64);
        using var mappedTokens = torch.tensor(values, new long[] { 16, 21, 6 }, torch.ScalarType.Float64);
        double[] expected = Tensors.ToDoubles(attentionOnly.Predict(mappedTokens, null));
        Assert.True(Numerics.MaxRelativeError(Tensors.ToDoubles(withMlp.Predict(tokens.Tokens, null)), expected) < 1e-12);
        Assert.True(Numerics.MaxRelativeError(Tensors.ToDoubles(withMlp.ForwardTokens(tokens.Tokens)), Tensors.ToDoubles(attentionOnly.ForwardTokens(mappedTokens))) < 1e-12);
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences_ForMlpAndAttentionEntries()
    {
        double[] theta = Tensors.RandomParameters(Nonlinear, 6, 0.3);
        PromptBatch batch = new PromptSampler(new TaskOptions { Target = TargetFunction.RandomReluFeatures }).Sample(32, 3, StreamPurpose.Evaluation, 0);
        using var loss = new TorchSharpDifferentiableLoss(Nonlinear);
        var gradient = new double[theta.Length];
        loss.Gradient(theta, batch, gradient);
        const double h = 1e-6;
        foreach (int i in new[] { 0, 100, 215, 216, 300, 400, 550 })
        {
            double[] up = (double[])theta.Clone(), down = (double[])theta.Clone();
            up[i] += h;
            down[i] -= h;
            double finite = (loss.Loss(up, batch) - loss.Loss(down, batch)) / (2 * h);
            Assert.Equal(finite, gradient[i], Math.Max(1e-7, Math.Abs(finite) * 1e-6));
        }
    }
}
