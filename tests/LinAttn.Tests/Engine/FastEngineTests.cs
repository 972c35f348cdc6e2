using LinAttn.Internal;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using TorchSharp;

namespace LinAttn.Tests.Engine;

/// <summary>The fast engine against the TorchSharp model (autograd) and the parity vectors.</summary>
public sealed class FastEngineTests : TorchTest
{
    internal static PromptBatch Batch(int d, int n, int batchSize, ulong seed, bool padded)
    {
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = n, Covariates = CovariateDistribution.Gamma, GammaShape = 2.5 })
            .Sample(batchSize, seed, StreamPurpose.Evaluation, 0, 1);
        if (!padded) return batch;
        var lengths = Enumerable.Range(0, batchSize).Select(b => 1 + b * 7 % n).ToArray();
        return new PromptBatch(batchSize, n, d, batch.Tokens, batch.Targets, lengths);
    }

    internal static (double Loss, double[] Gradient, double[] Predictions) TorchReference(ModelOptions options, double[] theta, PromptBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        using var model = new LinearTransformer(options with { Precision = Precision.Float64 }, theta);
        using var t = batch.ToTensors(torch.CPU, Precision.Float64);
        var loss = model.Loss(t.Tokens, t.Targets, t.ContextMask);
        loss.backward();
        double[] predictions = Tensors.ToDoubles(model.Predict(t.Tokens, t.ContextMask));
        return (loss.ReadDouble(), Tensors.ToDoubles(model.Weights.grad!), predictions);
    }

    public static IEnumerable<object[]> Configurations()
    {
        foreach (var parametrization in Enum.GetValues<Parametrization>())
            foreach (var (layers, heads) in new[] { (1, 1), (3, 1), (2, 3) })
                foreach (bool padded in new[] { false, true })
                    foreach (int d in new[] { 4, 5 })   // d = 5: the kernels' register-blocked paths (k = 5 and 6)
                        yield return new object[] { parametrization, layers, heads, padded, d };
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Float64_MatchesTorchSharp(Parametrization parametrization, int layers, int heads, bool padded, int d)
    {
        var options = new ModelOptions { Dimension = d, Layers = layers, Heads = heads, Parametrization = parametrization, Precision = Precision.Float64 };
        double[] theta = Tensors.RandomParameters(options, 31, 0.3);
        PromptBatch batch = Batch(d, 9, 37, 5, padded);           // 37: a partial last SIMD block
        AssertFloat64MatchesTorchSharp(options, theta, batch, SimdWidth.Auto);
    }

    // Loss, gradient and predictions of the float64 fast engine equal TorchSharp's autograd to 1e-10; returns the
    // fast gradient and predictions.
    internal static (double[] Gradient, double[] Predictions) AssertFloat64MatchesTorchSharp(ModelOptions options, double[] theta, PromptBatch batch, SimdWidth width)
    {
        var (loss, gradient, predictions) = TorchReference(options, theta, batch);
        var fast = new FastModel(options, threads: 1, width);
        var fastGradient = new double[theta.Length];
        double fastLoss = fast.LossAndGradient(theta, batch, fastGradient);
        var fastPredictions = new double[batch.BatchSize];
        fast.Predict(theta, batch, fastPredictions);

        Assert.True(Math.Abs(fastLoss - loss) <= 1e-10 * loss, $"loss {fastLoss} vs {loss}");
        Assert.True(Numerics.MaxRelativeError(fastGradient, gradient) < 1e-10, $"gradient error {Numerics.MaxRelativeError(fastGradient, gradient):E2}");
        Assert.True(Numerics.MaxRelativeError(fastPredictions, predictions) < 1e-10);
        return (fastGradient, fastPredictions);
    }

    [Theory]
    [InlineData(1, 1, 3, false, SimdWidth.Vector512)]
    [InlineData(3, 1, 7, true, SimdWidth.Vector512)]
    [InlineData(2, 2, 30, true, SimdWidth.Vector256)]
    [InlineData(3, 1, 30, false, SimdWidth.Vector256)]
    [InlineData(2, 1, 5, true, SimdWidth.Scalar)]
    public void Float64_FeatureMlp_MatchesTorchSharp(int layers, int heads, int hidden, bool padded, SimdWidth width)
    {
        var options = new ModelOptions
        {
            Dimension = 4, Layers = layers, Heads = heads, Parametrization = Parametrization.Full, FeatureMlpWidth = hidden, Precision = Precision.Float64,
        };
        double[] theta = Tensors.RandomParameters(options, 41, 0.3);
        PromptBatch batch = Batch(4, 9, 37, 5, padded);
        var (fastGradient, fastPredictions) = AssertFloat64MatchesTorchSharp(options, theta, batch, width);
        double[] mlpPart = fastGradient[options.AttentionParameterCount..];
        Assert.True(mlpPart.Max(Math.Abs) > 1e-3, "the MLP gradient is not trivially zero");
        var predictor = new FastPredictor(options, theta, width);
        var served = new double[batch.BatchSize];
        predictor.Predict(batch, served);
        Assert.Equal(fastPredictions, served);
    }

    [Fact]
    public void Float32_NonlinearExperimentModel_MatchesTorchSharpTo1e4_AndThreadsDoNotMatter()
    {
        var options = new ModelOptions { Parametrization = Parametrization.Full, InitStd = 0.1, FeatureMlpWidth = 30 };   // the authors' 551 parameters
        double[] theta = LinearTransformer.InitialParameters(options, 2);
        PromptBatch batch = new PromptSampler(new TaskOptions { Target = TargetFunction.RandomReluFeatures }).Sample(300, 4, StreamPurpose.Evaluation, 0, 1);
        AssertFloat32MatchesTorchSharp_OnOneAndTwoThreads(options, theta, batch);
    }

    // Loss and gradient of the float32 fast engine equal TorchSharp's float64 autograd to 1e-4 and are bit-identical on
    // one and two threads.
    internal static void AssertFloat32MatchesTorchSharp_OnOneAndTwoThreads(ModelOptions options, double[] theta, PromptBatch batch)
    {
        var (loss, gradient, _) = TorchReference(options, theta, batch);
        var one = new double[theta.Length];
        var two = new double[theta.Length];
        double fastLoss = new FastModel(options, threads: 1).LossAndGradient(theta, batch, one);
        Assert.Equal(fastLoss, new FastModel(options, threads: 2).LossAndGradient(theta, batch, two));
        Assert.Equal(one, two);
        Assert.True(Math.Abs(fastLoss - loss) <= 1e-4 * loss, $"loss {fastLoss} vs {loss}");
        Assert.True(Numerics.MaxRelativeError(one, gradient) < 1e-4, $"gradient error {Numerics.MaxRelativeError(one, gradient):E2}");
    }

    [Theory]
    [InlineData(SimdWidth.Vector512)]
    [InlineData(SimdWidth.Vector256)]
    [InlineData(SimdWidth.Scalar)]
    public void Float32_EveryWidth_MatchesTorchSharpTo1e4(SimdWidth width)
    {
        var options = new ModelOptions { Dimension = 5, Layers = 3, Heads = 2, Parametrization = Parametrization.Full };
        double[] theta = Tensors.RandomParameters(options, 32, 0.2);
        PromptBatch batch = Batch(5, 20, 300, 6, padded: true);
        var (loss, gradient, _) = TorchReference(options, theta, batch);
        var fast = new FastModel(options, threads: 1, width);
        var fastGradient = new double[theta.Length];
        double fastLoss = fast.LossAndGradient(theta, batch, fastGradient);
        Assert.True(Math.Abs(fastLoss - loss) <= 1e-4 * loss);
        Assert.True(Numerics.MaxRelativeError(fastGradient, gradient) < 1e-4, $"gradient error {Numerics.MaxRelativeError(fastGradient, gradient):E2}");
    }

    [Theory]
    [InlineData(Parametrization.Restricted, Precision.Float64, false)]
    [InlineData(Parametrization.Full, Precision.Float64, true)]
    [InlineData(Parametrization.Restricted, Precision.Float32, true)]
    [InlineData(Parametrization.Restricted, Precision.Float64, true, ScoreActivation.Softmax)]
    [InlineData(Parametrization.Full, Precision.Float32, false, ScoreActivation.Relu)]
    public void Retain_ReusesLoadedBlocks_WithBitIdenticalResults(Parametrization parametrization, Precision precision, bool padded,
        ScoreActivation activation = ScoreActivation.Identity)
    {
        var options = new ModelOptions { Parametrization = parametrization, Precision = precision, Activation = activation };
        double[] theta = LinearTransformer.InitialParameters(options, 3);
        double[] moved = theta.Select((v, i) => v + 0.01 * Math.Sin(i)).ToArray();
        PromptBatch batch = Batch(5, 20, 601, 7, padded);          // 601: the last block is partly empty
        PromptBatch other = Batch(5, 20, 601, 8, padded);
        (double, double[]) Evaluate(FastModel model, double[] at, PromptBatch on)
        {
            var g = new double[at.Length];
            return (model.LossAndGradient(at, on, g), g);
        }
        var plain = new FastModel(options, threads: 2);
        var retaining = new FastModel(options, threads: 2);
        retaining.Retain(batch);
        foreach (double[] at in new[] { theta, moved, theta })   // the first call fills the blocks, later ones read them
        {
            var (expectedLoss, expectedGradient) = Evaluate(plain, at, batch);
            var (loss, gradient) = Evaluate(retaining, at, batch);
            Assert.Equal(expectedLoss, loss);
            Assert.Equal(expectedGradient, gradient);
            var (otherLoss, otherGradient) = Evaluate(retaining, at, other);   // another batch is not served from the kept blocks
            Assert.Equal(Evaluate(plain, at, other).Item1, otherLoss);
            Assert.Equal(Evaluate(plain, at, other).Item2, otherGradient);
            Assert.NotEqual(expectedLoss, otherLoss);
        }
        retaining.Retain(null);
        Assert.Equal(Evaluate(plain, moved, batch).Item2, Evaluate(retaining, moved, batch).Item2);
    }

    [Fact]
    public void Results_AreIdenticalWithOneAndTwoThreads()
    {
        var options = new ModelOptions();
        double[] theta = LinearTransformer.InitialParameters(options, 3);
        PromptBatch batch = Batch(5, 20, 1000, 7, padded: false);
        var g1 = new double[theta.Length];
        var g2 = new double[theta.Length];
        double l1 = new FastModel(options, threads: 1).LossAndGradient(theta, batch, g1);
        double l2 = new FastModel(options, threads: 2).LossAndGradient(theta, batch, g2);
        Assert.Equal(l1, l2);
        Assert.Equal(g1, g2);
    }

    [Theory]
    [MemberData(nameof(ParityTestsCases))]
    public void ParityVectors_Float64(int index)
    {
        ParityCase c = ParityCase.Load()[index];
        var options = new ModelOptions { Dimension = c.D, Layers = c.L, Heads = c.H, Precision = Precision.Float64 };
        // The parity prompts are float64; the engine reads float inputs, so compare against TorchSharp on the same
        // float-rounded prompt, and the loss against the reference to float rounding.
        var batch = new PromptBatch(c.B, c.N, c.D, c.Z0.Select(v => (float)v).ToArray(), c.Target.Select(v => (float)v).ToArray());
        var fast = new FastModel(options, threads: 1);
        var gradient = new double[options.ParameterCount];
        double loss = fast.LossAndGradient(c.AllParam, batch, gradient);
        var (torchLoss, torchGradient, _) = TorchReference(options, c.AllParam, batch);
        Assert.True(Math.Abs(loss - torchLoss) <= 1e-10 * torchLoss);
        Assert.True(Numerics.MaxRelativeError(gradient, torchGradient) < 1e-10);
        Assert.True(Math.Abs(loss - c.Loss) <= 1e-4 * c.Loss, $"{loss} vs reference {c.Loss}");
        Assert.True(Numerics.MaxRelativeError(gradient, c.GradAllParam) < 1e-4);
    }

    public static IEnumerable<object[]> ParityTestsCases() => Model.ParityTests.Cases();

    [Fact]
    public void FastDifferentiableLoss_HessianMatchesDoubleBackward()
    {
        var options = new ModelOptions { Dimension = 3, Layers = 2, Heads = 2 };
        double[] theta = Tensors.RandomParameters(options, 33, 0.3);
        AssertHessianAndHvpMatchDoubleBackward(options, theta, Batch(3, 6, 64, 8, padded: true));
    }

    // The fast engine's finite-difference Hessian and HVP equal TorchSharp's double backward to 1e-6 of the largest entry.
    internal static void AssertHessianAndHvpMatchDoubleBackward(ModelOptions options, double[] theta, PromptBatch batch)
    {
        using var exact = new TorchSharpDifferentiableLoss(options);
        using var fast = new FastDifferentiableLoss(options, threads: 1);
        double[] reference = exact.Hessian(theta, batch);
        double[] approximate = fast.Hessian(theta, batch);
        Assert.True(Numerics.MaxRelativeError(approximate, reference) < 1e-6, $"error {Numerics.MaxRelativeError(approximate, reference):E2}");
        var v = Enumerable.Range(0, theta.Length).Select(i => Math.Cos(i)).ToArray();
        var hv = new double[theta.Length];
        var hvExact = new double[theta.Length];
        fast.HessianVectorProduct(theta, batch, v, hv);
        exact.HessianVectorProduct(theta, batch, v, hvExact);
        Assert.True(Numerics.MaxRelativeError(hv, hvExact) < 1e-6);
    }

    [Theory]
    [InlineData(Parametrization.Restricted, 25)]
    [InlineData(Parametrization.Full, 0)]
    [InlineData(Parametrization.PreconditionedGd, 0)]
    public void InertParameters_ChangeNeitherLossNorGradient_BitForBit(Parametrization parametrization, int expectedInert)
    {
        var options = new ModelOptions { Dimension = 5, Layers = 3, Parametrization = parametrization, Precision = Precision.Float64 };
        bool[] inert = FastDifferentiableLoss.InertParameters(options);
        Assert.Equal(expectedInert, inert.Count(x => x));
        double[] theta = Tensors.RandomParameters(options, 34, 0.3);
        PromptBatch batch = Batch(5, 20, 100, 9, padded: true);
        var model = new FastModel(options, threads: 1);
        var gradient = new double[theta.Length];
        double loss = model.LossAndGradient(theta, batch, gradient);
        for (int i = 0; i < theta.Length; i++) if (inert[i]) theta[i] += 3.0 + i;
        var moved = new double[theta.Length];
        Assert.Equal(loss, model.LossAndGradient(theta, batch, moved));
        Assert.Equal(gradient, moved);
        for (int i = 0; i < theta.Length; i++) if (inert[i]) Assert.Equal(0.0, gradient[i]);
    }

    [Fact]
    public void FastDifferentiableLoss_Hessian_SkipsInertColumnsAndMatchesDoubleBackward()
    {
        var options = new ModelOptions { Dimension = 5, Layers = 3 };
        double[] theta = Tensors.RandomParameters(options, 35, 0.3);
        PromptBatch batch = Batch(5, 20, 200, 10, padded: false);
        using var exact = new TorchSharpDifferentiableLoss(options);
        using var fast = new FastDifferentiableLoss(options, threads: 1);
        double[] reference = exact.Hessian(theta, batch);
        double[] approximate = fast.Hessian(theta, batch);
        bool[] inert = FastDifferentiableLoss.InertParameters(options);
        int p = theta.Length;
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                if (inert[i] || inert[j]) Assert.True(approximate[i * p + j] == 0 && reference[i * p + j] == 0, $"H[{i},{j}]");
        double scale = reference.Max(Math.Abs), worst = 0;
        for (int i = 0; i < p * p; i++) worst = Math.Max(worst, Math.Abs(approximate[i] - reference[i]));
        Assert.True(worst < 1e-6 * scale, $"max |H_fast − H_exact| = {worst:E2} with max |H| = {scale:E2}");
    }

    [Fact]
    public void FastDifferentiableLoss_FeatureMlp_HessianMatchesDoubleBackward()
    {
        var options = new ModelOptions { Dimension = 3, Layers = 2, Parametrization = Parametrization.Full, FeatureMlpWidth = 6 };
        double[] theta = Tensors.RandomParameters(options, 36, 0.3);
        PromptBatch batch = Batch(3, 8, 100, 11, padded: true);
        using var exact = new TorchSharpDifferentiableLoss(options);
        using var fast = new FastDifferentiableLoss(options, threads: 2);
        Assert.IsType<FastDifferentiableLoss>(LinAttn.Diagnostics.DiagnosticEngines.CreateLoss(options));
        double[] reference = exact.Hessian(theta, batch);
        double[] approximate = fast.Hessian(theta, batch);
        double scale = reference.Max(Math.Abs), worst = 0;
        for (int i = 0; i < reference.Length; i++) worst = Math.Max(worst, Math.Abs(approximate[i] - reference[i]));
        Assert.True(worst < 1e-6 * scale, $"max |H_fast − H_exact| = {worst:E2} with max |H| = {scale:E2}");
    }

    [Fact]
    public void FastDifferentiableLoss_Float32_GivesGradientsWithinFloatRounding_AndRefusesCurvature()
    {
        foreach (var options in new[]
        {
            new ModelOptions { Dimension = 3, Layers = 2 },
            new ModelOptions { Dimension = 3, Layers = 2, Parametrization = Parametrization.Full, FeatureMlpWidth = 6 },
        })
        {
            double[] theta = Tensors.RandomParameters(options, 36, 0.3);
            PromptBatch batch = Batch(3, 8, 100, 11, padded: true);
            using var exact = new TorchSharpDifferentiableLoss(options);
            using var single = new FastDifferentiableLoss(options, threads: 1, Precision.Float32);
            var reference = new double[theta.Length];
            var gradient = new double[theta.Length];
            double referenceLoss = exact.Gradient(theta, batch, reference);
            double loss = single.Gradient(theta, batch, gradient);
            double error = Numerics.MaxRelativeError(gradient, reference);
            Assert.True(error < 1e-4, $"gradient error {error:E2}");
            Assert.True(error > 1e-12, "a float32 computation should differ from float64 in the last digits");
            Assert.Equal(referenceLoss, loss, 1e-4 * Math.Abs(referenceLoss));
            Assert.Equal(Precision.Float32, single.Computation);
            var error1 = Assert.Throws<InvalidOperationException>(() => single.Hessian(theta, batch));
            Assert.Contains("Float32", error1.Message);
            Assert.Throws<InvalidOperationException>(() => single.HessianVectorProduct(theta, batch, theta, gradient));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new FastDifferentiableLoss(new ModelOptions(), null, (Precision)7));
    }
}
