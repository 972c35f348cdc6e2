using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.Engine;

/// <summary>
/// <see cref="FastModel.Hessian"/> (gradients block by block, each column only from its layer up) against forward
/// differences of whole <see cref="FastModel.LossAndGradient"/> calls, assembled independently here.
/// </summary>
public sealed class LayeredHessianTests : TorchTest
{
    public static IEnumerable<object[]> Models()
    {
        yield return new object[] { Parametrization.Restricted, 3, 1, 5, Precision.Float64 };
        yield return new object[] { Parametrization.Restricted, 1, 1, 5, Precision.Float64 };
        yield return new object[] { Parametrization.Full, 2, 2, 4, Precision.Float64 };
        yield return new object[] { Parametrization.Full, 3, 1, 5, Precision.Float64 };
        yield return new object[] { Parametrization.PreconditionedGd, 3, 2, 5, Precision.Float64 };
        yield return new object[] { Parametrization.Restricted, 4, 1, 3, Precision.Float32 };
        yield return new object[] { Parametrization.Restricted, 3, 1, 4, Precision.Float64, ScoreActivation.Softmax };
        yield return new object[] { Parametrization.Full, 2, 2, 3, Precision.Float64, ScoreActivation.Relu };
        yield return new object[] { Parametrization.Full, 2, 1, 4, Precision.Float64, ScoreActivation.Identity, 3 };   // feature MLP
        yield return new object[] { Parametrization.Full, 3, 2, 3, Precision.Float64, ScoreActivation.Identity, 2 };
        yield return new object[] { Parametrization.Full, 1, 1, 5, Precision.Float64, ScoreActivation.Identity, 6 };   // 2 × 4 product blocks
        yield return new object[] { Parametrization.Full, 2, 1, 4, Precision.Float32, ScoreActivation.Identity, 5 };
    }

    private static PromptBatch PaddedBatch(int d, int batchSize, ulong seed)
    {
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = 12, Covariates = CovariateDistribution.Gamma, GammaShape = 2.5 })
            .Sample(batchSize, seed, StreamPurpose.Evaluation, 0, 1);
        var lengths = Enumerable.Range(0, batchSize).Select(b => 1 + b * 5 % 12).ToArray();
        return new PromptBatch(batchSize, 12, d, batch.Tokens, batch.Targets, lengths);
    }

    // The layer of each θ coordinate, from the documented layout [L, H, m, k, k] then the feature MLP, which feeds the
    // first layer: it counts as layer −1.
    private static int[] Layers(ModelOptions options)
    {
        int perLayer = options.AttentionParameterCount / options.Layers;
        return Enumerable.Range(0, options.ParameterCount).Select(i => i < options.AttentionParameterCount ? i / perLayer : -1).ToArray();
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryEntry_EqualsForwardDifferencesOfWholeGradients_BitForBit(Parametrization parametrization, int layers, int heads, int d, Precision precision,
        ScoreActivation activation = ScoreActivation.Identity, int mlp = 0)
    {
        var options = new ModelOptions
        {
            Parametrization = parametrization, Layers = layers, Heads = heads, Dimension = d, Precision = precision, Activation = activation, FeatureMlpWidth = mlp,
        };
        double[] theta = Tensors.RandomParameters(options, 41, 0.3);
        PromptBatch batch = PaddedBatch(d, 601, 12);   // 601: three chunks, the last block partly empty
        const double epsilon = 1e-7;
        bool[] skip = FastDifferentiableLoss.InertParameters(options);
        int p = theta.Length;
        int[] layer = Layers(options);

        var reference = new FastModel(options, threads: 1);
        var atTheta = new double[p];
        reference.LossAndGradient(theta, batch, atTheta);
        var difference = new double[p * p];   // [i, j] = (∂_i f(θ + ε e_j) − ∂_i f(θ)) / step_j
        var shifted = new double[p];
        for (int j = 0; j < p; j++)
        {
            if (skip[j]) continue;
            double[] moved = (double[])theta.Clone();
            moved[j] = theta[j] + epsilon;
            reference.LossAndGradient(moved, batch, shifted);
            for (int i = 0; i < p; i++) difference[i * p + j] = (shifted[i] - atTheta[i]) / (moved[j] - theta[j]);
        }
        var expected = new double[p * p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                expected[i * p + j] = layer[i] == layer[j] ? 0.5 * (difference[i * p + j] + difference[j * p + i])
                    : layer[i] > layer[j] ? difference[i * p + j] : difference[j * p + i];

        double[] oneThread = new FastModel(options, threads: 1).Hessian(theta, batch, epsilon, skip);
        double[] twoThreads = new FastModel(options, threads: 2).Hessian(theta, batch, epsilon, skip);
        Assert.Equal(expected, oneThread);
        Assert.Equal(oneThread, twoThreads);
        Assert.Contains(oneThread, v => v != 0);
        if (layers > 1 && precision == Precision.Float64) Assert.True(Numerics.MaxRelativeError(
            Enumerable.Range(0, p * p).Where(k => layer[k / p] < layer[k % p]).Select(k => difference[k]).ToArray(),
            Enumerable.Range(0, p * p).Where(k => layer[k / p] < layer[k % p]).Select(k => oneThread[k]).ToArray()) < 1e-3,
            "the one-sided differences of the two triangles should agree to the forward-difference error");
    }

    [Fact]
    public void FastDifferentiableLoss_UsesTheLayeredHessian_WhereItFits()
    {
        Assert.True(new FastModel(new ModelOptions(), threads: 1).SupportsLayeredHessian(1000));
        Assert.True(new FastModel(new ModelOptions { Parametrization = Parametrization.Full, FeatureMlpWidth = 30 }, threads: 1).SupportsLayeredHessian(2000));
        // Fig. 5's model (P = 6400): its column gradients would need 1.4 GB per 1000 prompts, so it keeps the old path.
        Assert.False(new FastModel(new ModelOptions { Dimension = 20, Layers = 8 }, threads: 1).SupportsLayeredHessian(1000));
        var options = new ModelOptions { Layers = 2, Precision = Precision.Float64 };
        double[] theta = Tensors.RandomParameters(options, 42, 0.3);
        PromptBatch batch = PaddedBatch(5, 100, 13);
        using var loss = new FastDifferentiableLoss(options, threads: 1);
        double[] viaLoss = loss.Hessian(theta, batch);
        double epsilon = loss.HessianRelativeStep * Math.Max(1.0, Math.Sqrt(theta.Sum(v => v * v) / theta.Length));
        Assert.Equal(new FastModel(options, threads: 1).Hessian(theta, batch, epsilon, FastDifferentiableLoss.InertParameters(options)), viaLoss);
    }

    [Fact]
    public void GradientColumns_RefusesColumnsOutOfLayerOrder()
    {
        var options = new ModelOptions { Layers = 2, Precision = Precision.Float64 };
        KernelWorker worker = FastModel.CreateWorker(options, SimdWidth.Auto);
        PromptBatch batch = PaddedBatch(5, 16, 14);
        var columns = new[] { new ShiftedEntry(1, 0, 0, 0.1, 0.2), new ShiftedEntry(1, 36, 1, 0.1, 0.2) };
        var error = Assert.Throws<ArgumentException>(() => worker.GradientColumns(batch, 0, 16, 1.0, columns, new double[3 * 2 * 72]));
        Assert.Contains("non-increasing layer order", error.Message);
    }
}
