using LinAttn.Diagnostics;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.Engine;

/// <summary>The fast engine's token-level kernel (softmax and ReLU scores) against the TorchSharp model's autograd.</summary>
public sealed class TokenKernelTests : TorchTest
{
    public static IEnumerable<object[]> Configurations()
    {
        foreach (ScoreActivation activation in new[] { ScoreActivation.Softmax, ScoreActivation.Relu })
            foreach (Parametrization parametrization in Enum.GetValues<Parametrization>())
                foreach (var (layers, heads) in new[] { (1, 1), (3, 1), (2, 3) })
                    foreach (bool padded in new[] { false, true })
                        yield return new object[] { activation, parametrization, layers, heads, padded };
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Float64_MatchesTorchSharp(ScoreActivation activation, Parametrization parametrization, int layers, int heads, bool padded)
    {
        var options = new ModelOptions { Dimension = 4, Layers = layers, Heads = heads, Parametrization = parametrization, Activation = activation, Precision = Precision.Float64 };
        double[] theta = Tensors.RandomParameters(options, 51, 0.3);
        PromptBatch batch = FastEngineTests.Batch(4, 9, 37, 5, padded);   // 37: a partial last SIMD block
        FastEngineTests.AssertFloat64MatchesTorchSharp(options, theta, batch, SimdWidth.Auto);
    }

    [Theory]
    [InlineData(ScoreActivation.Softmax, SimdWidth.Vector256)]
    [InlineData(ScoreActivation.Softmax, SimdWidth.Scalar)]
    [InlineData(ScoreActivation.Relu, SimdWidth.Vector256)]
    [InlineData(ScoreActivation.Relu, SimdWidth.Scalar)]
    public void Float64_EveryWidth_MatchesTorchSharp(ScoreActivation activation, SimdWidth width)
    {
        var options = new ModelOptions { Dimension = 3, Layers = 2, Heads = 2, Parametrization = Parametrization.Full, Activation = activation, Precision = Precision.Float64 };
        double[] theta = Tensors.RandomParameters(options, 52, 0.3);
        FastEngineTests.AssertFloat64MatchesTorchSharp(options, theta, FastEngineTests.Batch(3, 7, 21, 6, padded: true), width);
    }

    [Theory]
    [InlineData(ScoreActivation.Softmax, Precision.Float32)]
    [InlineData(ScoreActivation.Softmax, Precision.Float64)]
    [InlineData(ScoreActivation.Relu, Precision.Float32)]
    public void Predictions_AreBitIdentical_AtEverySimdWidth(ScoreActivation activation, Precision precision)
    {
        // FastPredictor's contract (ML.NET's per-row chain and its batched Transform rely on it): a prompt's prediction
        // does not depend on the lane it runs in, so the scalar exp must do exactly what the vector exp does.
        var options = new ModelOptions { Dimension = 5, Layers = 3, Activation = activation, Precision = precision };
        double[] theta = Tensors.RandomParameters(options, 56, 0.4);
        PromptBatch batch = FastEngineTests.Batch(5, 20, 45, 11, padded: true);
        double[] Predict(SimdWidth width)
        {
            var predictions = new double[batch.BatchSize];
            new FastPredictor(options, theta, width).Predict(batch, predictions);
            return predictions;
        }
        double[] scalar = Predict(SimdWidth.Scalar);
        Assert.Equal(scalar, Predict(SimdWidth.Vector256));
        Assert.Equal(scalar, Predict(SimdWidth.Vector512));
        Assert.Equal(scalar.Distinct().Count(), scalar.Length);
    }

    [Fact]
    public void Float32_Fig4Model_MatchesTorchSharpTo1e4_AndThreadsDoNotMatter()
    {
        // Fig. 4's softmax model: Setting 1, L = 3, Restricted, d = 5, n = 20, the paper's initialisation.
        var options = new ModelOptions { Activation = ScoreActivation.Softmax };
        double[] theta = LinearTransformer.InitialParameters(options, 2);
        FastEngineTests.AssertFloat32MatchesTorchSharp_OnOneAndTwoThreads(options, theta, FastEngineTests.Batch(5, 20, 300, 7, padded: true));
    }

    [Theory]
    [InlineData(Precision.Float64)]
    [InlineData(Precision.Float32)]
    public void Softmax_WithLargeScores_StaysFinite_AndMatchesTorchSharp(Precision precision)
    {
        // Scores of several hundred: a softmax without the max subtracted overflows exp in float32 (e^88.8).
        var options = new ModelOptions { Dimension = 4, Layers = 2, Parametrization = Parametrization.Full, Activation = ScoreActivation.Softmax, Precision = precision };
        double[] theta = Tensors.RandomParameters(options, 53, 3.0);
        PromptBatch batch = FastEngineTests.Batch(4, 9, 40, 8, padded: true);
        var (loss, gradient, _) = FastEngineTests.TorchReference(options, theta, batch);
        var fastGradient = new double[theta.Length];
        double fastLoss = new FastModel(options, threads: 1).LossAndGradient(theta, batch, fastGradient);
        Assert.True(double.IsFinite(fastLoss) && fastGradient.All(double.IsFinite), $"loss {fastLoss}");
        double tolerance = precision == Precision.Float64 ? 1e-9 : 1e-3;
        Assert.True(Math.Abs(fastLoss - loss) <= tolerance * loss, $"loss {fastLoss} vs {loss}");
        Assert.True(Numerics.MaxRelativeError(fastGradient, gradient) < tolerance, $"gradient error {Numerics.MaxRelativeError(fastGradient, gradient):E2}");
    }

    [Theory]
    [InlineData(ScoreActivation.Softmax)]
    [InlineData(ScoreActivation.Relu)]
    public void FastDifferentiableLoss_HessianAndHvp_MatchDoubleBackward(ScoreActivation activation)
    {
        var options = new ModelOptions { Dimension = 3, Layers = 2, Heads = 2, Activation = activation };
        double[] theta = Tensors.RandomParameters(options, 54, 0.3);
        using IDifferentiableLoss chosen = DiagnosticEngines.CreateLoss(options, threads: 1);
        Assert.IsType<FastDifferentiableLoss>(chosen);
        FastEngineTests.AssertHessianAndHvpMatchDoubleBackward(options, theta, FastEngineTests.Batch(3, 6, 64, 9, padded: true));
    }

    [Fact]
    public void Predictions_EqualTorchSharp_WhenContextLengthsDifferBetweenBatches()
    {
        // The kernel sizes its state for n + 1 tokens; a batch with another n must resize it, not read stale rows.
        var options = new ModelOptions { Dimension = 4, Layers = 2, Activation = ScoreActivation.Softmax, Precision = Precision.Float64 };
        double[] theta = Tensors.RandomParameters(options, 55, 0.3);
        var model = new FastModel(options, threads: 1);
        foreach (int n in new[] { 9, 4, 12 })
        {
            PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = 4, ContextLength = n }).Sample(20, 10, StreamPurpose.Evaluation, 0, 1);
            var predictions = new double[batch.BatchSize];
            model.Predict(theta, batch, predictions);
            Assert.True(Numerics.MaxRelativeError(predictions, FastEngineTests.TorchReference(options, theta, batch).Predictions) < 1e-10, $"n = {n}");
        }
    }
}
