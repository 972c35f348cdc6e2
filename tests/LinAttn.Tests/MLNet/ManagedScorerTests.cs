using LinAttn.MLNet;
using LinAttn.MLNet.Internal;
using LinAttn.MLNet.Scoring;
using LinAttn.Model;
using LinAttn.Tests.TestKit;
using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Tests.MLNet;

/// <summary>The managed scorer (the fast engine's S-form and token-level kernel, one prompt per call) against the TorchSharp forward of <see cref="LinearTransformer"/>.</summary>
public sealed class ManagedScorerTests : TorchTest
{
    [Theory]
    [InlineData(Parametrization.Restricted, ScoreActivation.Identity, 1)]
    [InlineData(Parametrization.Restricted, ScoreActivation.Identity, 3)]
    [InlineData(Parametrization.Full, ScoreActivation.Identity, 2)]
    [InlineData(Parametrization.PreconditionedGd, ScoreActivation.Identity, 2)]
    [InlineData(Parametrization.Restricted, ScoreActivation.Softmax, 2)]
    [InlineData(Parametrization.Full, ScoreActivation.Relu, 1)]
    public void ManagedScorer_EqualsTorchSharpForward(Parametrization parametrization, ScoreActivation activation, int heads)
    {
        const int d = 4, n = 9, batch = 16;
        var options = new ModelOptions { Dimension = d, Layers = 3, Heads = heads, Parametrization = parametrization, Activation = activation };
        double[] theta = PromptData.RandomParameters(options, 11, 0.25);
        IPromptScorer scorer = PromptScorers.Create(options, theta, n);
        Assert.IsType<EnginePromptScorer>(scorer);

        using var scope = torch.NewDisposeScope();
        Tensor tokens64 = Tensors.RandomTokens(batch, n, d, 12);
        float[] tokens = Tensors.ToDoubles(tokens64).Select(v => (float)v).ToArray();
        Tensor tokens32 = torch.tensor(tokens, new long[] { batch, n + 1, d + 1 });
        using var model32 = new LinearTransformer(options, theta);
        using var model64 = new LinearTransformer(options with { Precision = Precision.Float64 }, theta);
        double[] torch32 = Tensors.ToDoubles(model32.Predict(tokens32, null));
        double[] torch64 = Tensors.ToDoubles(model64.Predict(tokens32.to_type(ScalarType.Float64), null));

        int stride = (n + 1) * (d + 1);
        double[] managed = Enumerable.Range(0, batch).Select(b => scorer.Score(tokens.AsSpan(b * stride, stride), n)).ToArray();
        Assert.True(Numerics.MaxRelativeError(managed, torch64) < 1e-10, $"vs float64: {Numerics.MaxRelativeError(managed, torch64)}");
        Assert.True(Numerics.MaxRelativeError(managed, torch32) < 1e-5, $"vs float32: {Numerics.MaxRelativeError(managed, torch32)}");
    }

    [Theory]
    [InlineData(ScoreActivation.Identity)]
    [InlineData(ScoreActivation.Softmax)]
    [InlineData(ScoreActivation.Relu)]
    public void PaddedPrompt_ScoresLikeTorchWithContextMask(ScoreActivation activation)
    {
        const int d = 3, nMax = 8;
        int[] lengths = { 5, 8, 1, 3 };
        var options = new ModelOptions { Dimension = d, Layers = 2, Heads = 2, Activation = activation, Precision = Precision.Float64 };
        double[] theta = PromptData.RandomParameters(options, 13, 0.3);
        IPromptScorer scorer = PromptScorers.Create(options, theta, nMax);
        using var scope = torch.NewDisposeScope();
        Tensor padded = Tensors.RandomTokens(lengths.Length, nMax, d, 14);     // padding rows hold garbage on purpose
        var mask = new bool[lengths.Length * nMax];
        for (int b = 0; b < lengths.Length; b++) for (int i = 0; i < lengths[b]; i++) mask[b * nMax + i] = true;
        using var model = new LinearTransformer(options, theta);
        float[] tokens = Tensors.ToDoubles(padded).Select(v => (float)v).ToArray();
        double[] expected = Tensors.ToDoubles(model.Predict(torch.tensor(tokens.Select(v => (double)v).ToArray(),
            new long[] { lengths.Length, nMax + 1, d + 1 }, ScalarType.Float64), torch.tensor(mask, new long[] { lengths.Length, nMax })));
        int stride = (nMax + 1) * (d + 1);
        for (int b = 0; b < lengths.Length; b++)
        {
            double managed = scorer.Score(tokens.AsSpan(b * stride, stride), lengths[b]);
            Assert.True(Math.Abs(managed - expected[b]) <= 1e-10 * Math.Max(1, Math.Abs(expected[b])),
                $"prompt {b}: managed {managed} vs torch {expected[b]}");
        }
    }
}
