using LinAttn.Model;
using LinAttn.Tests.TestKit;
using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Tests.Model;

/// <summary>The associative S-form against the explicit token-level form (scores s_ji = z_jᵀ Q z_i), every parametrisation.</summary>
public sealed class FormEquivalenceTests : TorchTest
{
    [Theory]
    [InlineData(Parametrization.Restricted, 1)]
    [InlineData(Parametrization.Restricted, 3)]
    [InlineData(Parametrization.Full, 1)]
    [InlineData(Parametrization.Full, 2)]
    [InlineData(Parametrization.PreconditionedGd, 2)]
    public void AssociativeForm_EqualsQuadraticForm(Parametrization parametrization, int heads)
    {
        var options = new ModelOptions { Dimension = 4, Layers = 3, Heads = heads, Parametrization = parametrization, Precision = Precision.Float64 };
        using var scope = torch.NewDisposeScope();
        using var model = new LinearTransformer(options, Tensors.RandomParameters(options, 1, 0.3));
        Tensor z = Tensors.RandomTokens(6, 9, 4, 2);

        double[] associative = Tensors.ToDoubles(model.Predict(z, null));
        Tensor quadratic = model.ForwardTokensQuadratic(z, null);
        double[] reference = Tensors.ToDoubles(-quadratic.select(1, 9).select(1, 4));
        Assert.True(Numerics.MaxRelativeError(associative, reference) < 1e-11);
        Assert.True(Numerics.MaxRelativeError(Tensors.ToDoubles(model.ForwardTokens(z)), Tensors.ToDoubles(quadratic)) < 1e-11);
    }

    [Theory]
    [InlineData(ScoreActivation.Identity, Parametrization.Restricted)]
    [InlineData(ScoreActivation.Identity, Parametrization.Full)]
    [InlineData(ScoreActivation.Softmax, Parametrization.Restricted)]
    [InlineData(ScoreActivation.Relu, Parametrization.Full)]
    public void PaddedPrompt_ScoresExactlyLikeUnpadded(ScoreActivation activation, Parametrization parametrization)
    {
        const int d = 3, nMax = 8;
        int[] lengths = { 5, 8, 1, 3 };
        var options = new ModelOptions { Dimension = d, Layers = 2, Heads = 2, Activation = activation, Parametrization = parametrization, Precision = Precision.Float64 };
        using var scope = torch.NewDisposeScope();
        using var model = new LinearTransformer(options, Tensors.RandomParameters(options, 3, 0.3));
        Tensor padded = Tensors.RandomTokens(lengths.Length, nMax, d, 4);   // rows ≥ n_b hold garbage, not zeros
        var mask = new bool[lengths.Length * nMax];
        for (int b = 0; b < lengths.Length; b++) for (int i = 0; i < lengths[b]; i++) mask[b * nMax + i] = true;
        double[] paddedPredictions = Tensors.ToDoubles(model.Predict(padded, torch.tensor(mask, new long[] { lengths.Length, nMax })));

        for (int b = 0; b < lengths.Length; b++)
        {
            // The same prompt without padding: its n_b context rows, then its query row.
            Tensor prompt = padded[b].unsqueeze(0);
            Tensor unpadded = torch.cat(new[] { prompt.narrow(1, 0, lengths[b]), prompt.narrow(1, nMax, 1) }, 1);
            double expected = Tensors.ToDoubles(model.Predict(unpadded, null))[0];
            Assert.True(Math.Abs(paddedPredictions[b] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)),
                $"prompt {b} (n={lengths[b]}): padded {paddedPredictions[b]} vs unpadded {expected}");
        }
    }

    [Fact]
    public void Padding_ChangesNothingWhenEveryRowIsValid()
    {
        var options = new ModelOptions { Dimension = 2, Layers = 2, Precision = Precision.Float64 };
        using var scope = torch.NewDisposeScope();
        using var model = new LinearTransformer(options, Tensors.RandomParameters(options, 5, 0.3));
        Tensor z = Tensors.RandomTokens(3, 4, 2, 6);
        double[] plain = Tensors.ToDoubles(model.Predict(z, null));
        double[] masked = Tensors.ToDoubles(model.Predict(z, torch.ones(new long[] { 3, 4 }, ScalarType.Bool)));
        Assert.Equal(plain, masked);
    }
}
