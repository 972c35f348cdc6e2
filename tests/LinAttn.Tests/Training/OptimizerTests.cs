using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using LinAttn.Training;
using LinAttn.Training.Optimizers;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using OptimizerOptions = LinAttn.Training.OptimizerOptions;
using static TorchSharp.torch;

namespace LinAttn.Tests.Training;

public sealed class OptimizerTests : TorchTest
{
    public static IEnumerable<object[]> TorchComparable() => new[]
    {
        new object[] { new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = 0.1 } },
        new object[] { new OptimizerOptions { Kind = OptimizerKind.SgdMomentum, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 0.01 } },
        new object[] { new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 0.05, Beta1 = 0.9, Beta2 = 0.9 } },
        new object[] { new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 0.05, WeightDecay = 0.1 } },
        new object[] { new OptimizerOptions { Kind = OptimizerKind.AdamW, LearningRate = 0.05, WeightDecay = 0.1 } },
        new object[] { new OptimizerOptions { Kind = OptimizerKind.RmsProp, LearningRate = 0.01 } },
        new object[] { new OptimizerOptions { Kind = OptimizerKind.Adagrad, LearningRate = 0.1 } },
    };

    /// <summary>
    /// Adam updates whole vectors of parameters at a time; every element must still equal, bit for bit, the scalar
    /// PyTorch-convention formula evaluated here operation by operation, for sizes that leave a scalar remainder and for
    /// both weight-decay conventions.
    /// </summary>
    [Theory]
    [InlineData(OptimizerKind.Adam, 0.0, 1)]
    [InlineData(OptimizerKind.Adam, 0.0, 150)]
    [InlineData(OptimizerKind.Adam, 0.1, 13)]
    [InlineData(OptimizerKind.AdamW, 0.1, 151)]
    public void Adam_EqualsTheScalarFormula_BitForBit(OptimizerKind kind, double weightDecay, int count)
    {
        var options = new OptimizerOptions { Kind = kind, LearningRate = 0.02, WeightDecay = weightDecay };
        double b1 = options.Beta1, b2 = options.Beta2, eps = options.Epsilon, decay = options.EffectiveWeightDecay, lr = options.LearningRate;
        var random = CounterRandom.For(8, 3);
        var theta = new double[count];
        random.FillGaussian(theta);
        double[] expected = (double[])theta.Clone(), m = new double[count], v = new double[count];
        IParameterOptimizer adam = ParameterOptimizers.Create(options, count);
        var gradient = new double[count];
        for (int t = 1; t <= 20; t++)
        {
            random.FillGaussian(gradient);
            adam.Step(theta, gradient, lr);
            double stepSize = lr / (1 - Math.Pow(b1, t)), root = Math.Sqrt(1 - Math.Pow(b2, t));
            for (int i = 0; i < count; i++)
            {
                double g = gradient[i];
                if (kind == OptimizerKind.AdamW) expected[i] = expected[i] * (1 - lr * decay);
                else g = g + decay * expected[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                expected[i] = expected[i] - stepSize * m[i] / (Math.Sqrt(v[i]) / root + eps);
            }
            for (int i = 0; i < count; i++)
                Assert.True(expected[i] == theta[i], $"step {t}, parameter {i}: {theta[i]:R} vs {expected[i]:R}");
        }
    }

    /// <summary>Our managed optimizers against TorchSharp's (PyTorch's algorithms) on the same gradient sequence.</summary>
    [Theory]
    [MemberData(nameof(TorchComparable))]
    public void ManagedOptimizer_MatchesTorchSharp(OptimizerOptions options)
    {
        const int count = 12, steps = 15;
        var random = CounterRandom.For(5, 77);
        var theta = new double[count];
        random.FillGaussian(theta);
        IParameterOptimizer managed = ParameterOptimizers.Create(options, count);

        using var scope = torch.NewDisposeScope();
        var parameter = new Parameter(torch.tensor(theta, ScalarType.Float64));
        optim.Optimizer reference = options.Kind switch
        {
            OptimizerKind.Sgd => optim.SGD(new[] { parameter }, options.LearningRate),
            OptimizerKind.SgdMomentum => optim.SGD(new[] { parameter }, options.LearningRate, options.Momentum, 0, options.EffectiveWeightDecay),
            OptimizerKind.Adam => optim.Adam(new[] { parameter }, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.EffectiveWeightDecay),
            OptimizerKind.AdamW => optim.AdamW(new[] { parameter }, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.EffectiveWeightDecay),
            OptimizerKind.RmsProp => optim.RMSProp(new[] { parameter }, options.LearningRate, options.RmsPropAlpha, options.Epsilon),
            OptimizerKind.Adagrad => optim.Adagrad(new[] { parameter }, options.LearningRate, 0, 0, 0, options.Epsilon),
            _ => throw new InvalidOperationException(),
        };
        var gradient = new double[count];
        for (int t = 0; t < steps; t++)
        {
            random.FillGaussian(gradient);
            managed.Step(theta, gradient, options.LearningRate);
            parameter.grad = torch.tensor(gradient, ScalarType.Float64);
            reference.step();
        }
        double[] expected = Tensors.ToDoubles(parameter);
        Assert.True(Numerics.MaxRelativeError(theta, expected) < 1e-12, $"{options.Kind}: max relative error {Numerics.MaxRelativeError(theta, expected):E2}");
    }

    [Theory]
    [InlineData(OptimizerKind.SignSgd, 0.0)]
    [InlineData(OptimizerKind.SignSgd, 0.5)]
    [InlineData(OptimizerKind.NormalizedSgd, 0.0)]
    [InlineData(OptimizerKind.NormalizedSgd, 0.9)]
    public void TorchSharpSubclass_EqualsManagedOptimizer(OptimizerKind kind, double momentum)
    {
        // The TorchSharp OptimizerHelper subclasses (how a researcher adds an optimizer) and the managed ones follow one rule.
        RunSpec spec = PaperPresets.Get("setting1", kind, 0.001);
        var options = spec.Training.Optimizer with { Momentum = momentum };
        var model = spec.Model with { Precision = Precision.Float64 };
        double[] theta0 = LinearTransformer.InitialParameters(model, 0);
        var sampler = new PromptSampler(spec.Task);
        using var managed = new TorchSharpBackend(model, options, 1.0, theta0);
        using var custom = new TorchSharpBackend(model, p => kind == OptimizerKind.SignSgd
            ? new SignSgd(p, options.LearningRate, options.Momentum)
            : new NormalizedSgd(p, options.LearningRate, options.Momentum), 1.0, theta0);
        for (int t = 0; t < 20; t++)
        {
            PromptBatch batch = sampler.Sample(64, 0, StreamPurpose.Training, (ulong)t, 1);
            StepOutcome a = managed.Step(batch, options.LearningRate);
            StepOutcome b = custom.Step(batch, options.LearningRate);
            Assert.Equal(a.Loss, b.Loss, 12);
        }
        Assert.True(Numerics.MaxRelativeError(custom.GetParameters(), managed.GetParameters()) < 1e-12);
    }

    [Fact]
    public void NormalizedSgd_TakesStepsOfLengthLearningRate()
    {
        var optimizer = new NormalizedSgdOptimizer(new OptimizerOptions { Kind = OptimizerKind.NormalizedSgd, Momentum = 0 }, 3);
        double[] theta = { 1, 2, 3 };
        optimizer.Step(theta, new[] { 30.0, -40.0, 0.0 }, 0.5);
        Assert.Equal(new[] { 1 - 0.3, 2 + 0.4, 3.0 }, theta.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Clipping_ScalesTheGradientToTheThreshold_AndReportsThePreClipNorm()
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Sgd, 0.1);
        var model = spec.Model with { Precision = Precision.Float64 };
        double[] theta0 = Tensors.RandomParameters(model, 9, 0.3);
        PromptBatch batch = new PromptSampler(spec.Task).Sample(32, 1, StreamPurpose.Training, 0, 1);

        double[] gradient;
        using (var reference = new LinearTransformer(model, theta0))
        using (var t = batch.ToTensors(torch.CPU, Precision.Float64))
        {
            reference.Loss(t.Tokens, t.Targets).backward();
            gradient = Tensors.ToDoubles(reference.Weights.grad!);
        }
        double norm = Math.Sqrt(gradient.Sum(g => g * g));
        double clip = norm / 4;

        using var backend = new TorchSharpBackend(model, spec.Training.Optimizer, clip, theta0);
        StepOutcome outcome = backend.Step(batch, 0.1);
        Assert.Equal(norm, outcome.GradientNorm, 10);
        double[] expected = theta0.Select((v, i) => v - 0.1 * gradient[i] * clip / norm).ToArray();
        Assert.True(Numerics.MaxRelativeError(backend.GetParameters(), expected) < 1e-12);
    }

    [Fact]
    public void Schedules_ArePureFunctionsOfTheStep()
    {
        var warmup = new LearningRateSchedule { Kind = ScheduleKind.LinearWarmup, WarmupFraction = 0.1 };
        Assert.Equal(0.1, warmup.Factor(0, 100), 12);
        Assert.Equal(1.0, warmup.Factor(9, 100), 12);
        Assert.Equal(1.0, warmup.Factor(99, 100), 12);
        var cosine = new LearningRateSchedule { Kind = ScheduleKind.Cosine, WarmupFraction = 0, MinFactor = 0.1 };
        Assert.Equal(1.0, cosine.Factor(0, 101), 12);
        Assert.Equal(0.55, cosine.Factor(50, 101), 12);
        Assert.Equal(0.1, cosine.Factor(100, 101), 12);
        Assert.Equal(1.0, LearningRateSchedule.Constant.Factor(1234, 10));
    }

    [Theory]
    [InlineData("SGDM", OptimizerKind.SgdMomentum)]
    [InlineData("adam", OptimizerKind.Adam)]
    [InlineData("Sign-SGD", OptimizerKind.SignSgd)]
    [InlineData("nsgd", OptimizerKind.NormalizedSgd)]
    public void ParseKind_AcceptsCommonSpellings(string name, OptimizerKind expected)
        => Assert.Equal(expected, OptimizerOptions.ParseKind(name));

    [Fact]
    public void ParseKind_UnknownName_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerOptions.ParseKind("lion", "--optimizer"));
        Assert.Contains("--optimizer 'lion' is not known", e.Message);
        Assert.Contains("adam", e.Message);
    }

    [Fact]
    public void Presets_UnknownName_AndMissingRate_AreRejected()
    {
        Assert.Contains("Known presets: setting1", Assert.Throws<ArgumentOutOfRangeException>(() => PaperPresets.Get("setting9", OptimizerKind.Adam)).Message);
        Assert.Contains("pass a learning rate", Assert.Throws<ArgumentOutOfRangeException>(() => PaperPresets.Get("setting1", OptimizerKind.RmsProp)).Message);
        RunSpec sphere = PaperPresets.Get("sphere", OptimizerKind.SgdMomentum);
        Assert.Equal(5.0, sphere.Training.Optimizer.LearningRate);
        Assert.Equal(0.1, sphere.Training.ClipThreshold);
    }

    [Fact]
    public void EveryOptimizer_ReducesTheLoss()
    {
        foreach (OptimizerKind kind in Enum.GetValues<OptimizerKind>())
        {
            double lr = kind switch { OptimizerKind.SignSgd or OptimizerKind.NormalizedSgd => 0.003, OptimizerKind.Adagrad => 0.05, _ => 0.01 };
            RunSpec spec = PaperPresets.Get("setting1", kind, lr);
            TrainingResult result = Runner.Train(spec with { Training = spec.Training with { Steps = 150, BatchSize = 256, EvaluateEvery = 150, EvaluationBatchSize = 512, Threads = 1 } });
            Assert.Equal(TrainingStatus.Completed, result.Status);
            Assert.True(result.History.EvaluationLoss[^1] < 0.8 * result.History.EvaluationLoss[0],
                $"{kind}: {result.History.EvaluationLoss[0]} -> {result.History.EvaluationLoss[^1]}");
        }
    }
}
