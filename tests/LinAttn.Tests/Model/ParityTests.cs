using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Tests.TestKit;
using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Tests.Model;

/// <summary>Our model against float64 vectors from an independent implementation of the paper's model.</summary>
public sealed class ParityTests : TorchTest
{
    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, ParityCase.Load().Count).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float64_MatchesReference(int index)
    {
        ParityCase c = ParityCase.Load()[index];
        var (predictions, tokens, loss, gradient) = Run(c, Precision.Float64);
        Assert.True(Numerics.MaxRelativeError(predictions, c.Prediction) < 1e-10, "predictions");
        Assert.True(Numerics.MaxRelativeError(tokens, c.ZL) < 1e-10, "final token matrix Z_L");
        Assert.True(Math.Abs(loss - c.Loss) / c.Loss < 1e-10, $"loss {loss} vs {c.Loss}");
        Assert.True(Numerics.MaxRelativeError(gradient, c.GradAllParam) < 1e-10, "gradient");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_MatchesReference(int index)
    {
        ParityCase c = ParityCase.Load()[index];
        var (predictions, tokens, loss, gradient) = Run(c, Precision.Float32);
        Assert.True(Numerics.MaxRelativeError(predictions, c.Prediction) < 1e-4, "predictions");
        Assert.True(Numerics.MaxRelativeError(tokens, c.ZL) < 1e-4, "final token matrix Z_L");
        Assert.True(Math.Abs(loss - c.Loss) / c.Loss < 1e-4, $"loss {loss} vs {c.Loss}");
        Assert.True(Numerics.MaxRelativeError(gradient, c.GradAllParam) < 1e-4, "gradient");
    }

    private static (double[] Predictions, double[] Tokens, double Loss, double[] Gradient) Run(ParityCase c, Precision precision)
    {
        Assert.Equal("Restricted", c.Parametrization);
        Assert.Equal("identity", c.Activation);
        var options = new ModelOptions { Dimension = c.D, Layers = c.L, Heads = c.H, Precision = precision };
        using var scope = torch.NewDisposeScope();
        using var model = new LinearTransformer(options, c.AllParam);
        ScalarType type = precision == Precision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        Tensor z0 = Tensors.FromDoubles(c.Z0, c.B, c.N + 1, c.D + 1).to_type(type);
        Tensor targets = Tensors.FromDoubles(c.Target, c.B).to_type(type);
        double[] predictions = Tensors.ToDoubles(model.Predict(z0, null));
        double[] tokens = Tensors.ToDoubles(model.ForwardTokens(z0));
        Tensor loss = model.Loss(z0, targets);
        loss.backward();
        return (predictions, tokens, loss.ReadDouble(), Tensors.ToDoubles(model.Weights.grad!));
    }
}
