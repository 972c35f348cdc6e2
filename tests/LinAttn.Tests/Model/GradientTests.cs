using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Tests.TestKit;
using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Tests.Model;

/// <summary>Autograd gradients against central finite differences of the loss, float64, every parametrisation and activation.</summary>
public sealed class GradientTests : TorchTest
{
    [Theory]
    [InlineData(Parametrization.Restricted, ScoreActivation.Identity)]
    [InlineData(Parametrization.Full, ScoreActivation.Identity)]
    [InlineData(Parametrization.PreconditionedGd, ScoreActivation.Identity)]
    [InlineData(Parametrization.Restricted, ScoreActivation.Softmax)]
    [InlineData(Parametrization.Full, ScoreActivation.Softmax)]
    [InlineData(Parametrization.Restricted, ScoreActivation.Relu)]
    [InlineData(Parametrization.Full, ScoreActivation.Relu)]
    public void Autograd_MatchesFiniteDifferences(Parametrization parametrization, ScoreActivation activation)
    {
        var options = new ModelOptions { Dimension = 3, Layers = 2, Heads = 2, Parametrization = parametrization, Activation = activation, Precision = Precision.Float64 };
        double[] theta = Tensors.RandomParameters(options, 11, 0.3);
        using var scope = torch.NewDisposeScope();
        Tensor z = Tensors.RandomTokens(4, 6, 3, 12);
        Tensor y = Tensors.FromDoubles(new[] { 0.5, -1.0, 2.0, 0.1 }, 4);

        using var model = new LinearTransformer(options, theta);
        model.Loss(z, y).backward();
        double[] autograd = Tensors.ToDoubles(model.Weights.grad!);

        const double h = 1e-5;
        var finite = new double[theta.Length];
        for (int i = 0; i < theta.Length; i++)
        {
            double saved = theta[i];
            theta[i] = saved + h;
            model.SetParameters(theta);
            double plus = model.Loss(z, y).ReadDouble();
            theta[i] = saved - h;
            model.SetParameters(theta);
            double minus = model.Loss(z, y).ReadDouble();
            theta[i] = saved;
            finite[i] = (plus - minus) / (2 * h);
        }
        double error = Numerics.MaxEntrywiseRelativeError(autograd, finite);
        Assert.True(error < 1e-6, $"max relative error {error:E2}");
    }

    [Fact]
    public void Restricted_LastLayerP_HasZeroGradient()
    {
        // The last layer's P acts only on x, which never reaches the prediction (PAPER.md 1.6).
        var options = new ModelOptions { Dimension = 3, Layers = 2, Precision = Precision.Float64 };
        using var scope = torch.NewDisposeScope();
        using var model = new LinearTransformer(options, Tensors.RandomParameters(options, 13, 0.3));
        model.Loss(Tensors.RandomTokens(4, 5, 3, 14), Tensors.FromDoubles(new[] { 1.0, 2, 3, 4 }, 4)).backward();
        double[] grad = Tensors.ToDoubles(model.Weights.grad!);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(0.0, grad[options.Offset(1, 0, 0, r, c)]);
                Assert.NotEqual(0.0, grad[options.Offset(0, 0, 0, r, c)]);
            }
    }
}
