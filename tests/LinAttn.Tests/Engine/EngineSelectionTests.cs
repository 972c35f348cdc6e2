using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.Engine;

public sealed class EngineSelectionTests : TorchTest
{
    private static RunSpec Spec(EngineKind engine, Precision precision) =>
        PaperPresets.Get("setting1", OptimizerKind.Adam, seed: 4) is var spec
            ? spec with
            {
                Model = spec.Model with { Precision = precision },
                Training = spec.Training with { Steps = 200, BatchSize = 128, EvaluateEvery = 20, EvaluationBatchSize = 256, Threads = 1, Engine = engine },
            }
            : throw new InvalidOperationException();

    [Fact]
    public void TrainingCurves_OfBothEngines_Agree_FromTheSameWeightsAndData()
    {
        TrainingResult fast = Runner.Train(Spec(EngineKind.Fast, Precision.Float64));
        TrainingResult torch = Runner.Train(Spec(EngineKind.TorchSharp, Precision.Float64));
        Assert.Equal(torch.History.EvaluationSteps, fast.History.EvaluationSteps);
        Assert.True(Numerics.MaxEntrywiseRelativeError(fast.History.EvaluationLoss, torch.History.EvaluationLoss) < 1e-8);
        Assert.True(Numerics.MaxEntrywiseRelativeError(fast.History.TrainLoss, torch.History.TrainLoss) < 1e-8);
        Assert.True(Numerics.MaxRelativeError(fast.FinalParameters, torch.FinalParameters) < 1e-8);

        // In float32 the engines round differently; the curves still agree closely after 200 Adam steps.
        TrainingResult fast32 = Runner.Train(Spec(EngineKind.Fast, Precision.Float32));
        TrainingResult torch32 = Runner.Train(Spec(EngineKind.TorchSharp, Precision.Float32));
        Assert.True(Numerics.MaxEntrywiseRelativeError(fast32.History.EvaluationLoss, torch32.History.EvaluationLoss) < 1e-2);
    }

    [Fact]
    public void TrainingCurves_OfBothEngines_Agree_ForTheNonlinearExperimentModel()
    {
        // The feature-MLP model of the nonlinear experiment (551 parameters) on its task, 100 SGDM steps in float64.
        RunSpec spec = new("nonlinear",
            new ModelOptions { Parametrization = Parametrization.Full, InitStd = 0.1, FeatureMlpWidth = 30, Precision = Precision.Float64 },
            new TaskOptions { Target = TargetFunction.RandomReluFeatures },
            new TrainingOptions
            {
                Steps = 100, BatchSize = 128, EvaluateEvery = 20, EvaluationBatchSize = 256, Threads = 1, Seed = 2,
                Optimizer = new OptimizerOptions { Kind = OptimizerKind.SgdMomentum, LearningRate = 0.05 },
            });
        TrainingResult fast = Runner.Train(spec with { Training = spec.Training with { Engine = EngineKind.Fast } });
        TrainingResult torch = Runner.Train(spec with { Training = spec.Training with { Engine = EngineKind.TorchSharp } });
        Assert.True(Numerics.MaxEntrywiseRelativeError(fast.History.TrainLoss, torch.History.TrainLoss) < 1e-8);
        Assert.True(Numerics.MaxRelativeError(fast.FinalParameters, torch.FinalParameters) < 1e-8);
        Assert.True(fast.History.EvaluationLoss[^1] < 0.8 * fast.History.EvaluationLoss[0], "the run learns");
    }

    [Theory]
    [InlineData(ScoreActivation.Softmax, Parametrization.Restricted)]
    [InlineData(ScoreActivation.Relu, Parametrization.Full)]
    public void TrainingCurves_OfBothEngines_Agree_ForSoftmaxAndReluAttention(ScoreActivation activation, Parametrization parametrization)
    {
        RunSpec spec = Spec(EngineKind.Fast, Precision.Float64);
        spec = spec with
        {
            Model = spec.Model with { Activation = activation, Parametrization = parametrization },
            Task = spec.Task with { ContextLength = 10 },
            Training = spec.Training with { Steps = 100 },
        };
        TrainingResult fast = Runner.Train(spec);
        TrainingResult torch = Runner.Train(spec with { Training = spec.Training with { Engine = EngineKind.TorchSharp } });
        Assert.True(Numerics.MaxEntrywiseRelativeError(fast.History.TrainLoss, torch.History.TrainLoss) < 1e-8);
        Assert.True(Numerics.MaxEntrywiseRelativeError(fast.History.EvaluationLoss, torch.History.EvaluationLoss) < 1e-8);
        Assert.True(Numerics.MaxRelativeError(fast.FinalParameters, torch.FinalParameters) < 1e-8);
        Assert.True(fast.History.EvaluationLoss[^1] < fast.History.EvaluationLoss[0], "the run learns");
    }

    [Fact]
    public void Auto_PicksFastOnTheCpu_AndTorchSharpForWhatTheFastEngineCannotCompute()
    {
        var training = new TrainingOptions();
        Assert.Equal(EngineKind.Fast, Runner.ResolveEngine(new ModelOptions(), training));
        Assert.Equal(EngineKind.Fast, Runner.ResolveEngine(new ModelOptions { Activation = ScoreActivation.Softmax }, training));
        Assert.Equal(EngineKind.Fast, Runner.ResolveEngine(new ModelOptions { Activation = ScoreActivation.Relu }, training with { Engine = EngineKind.Fast }));
        Assert.Equal(EngineKind.TorchSharp, Runner.ResolveEngine(new ModelOptions(), training with { Device = "cuda" }));
        var reluMlp = new ModelOptions { Parametrization = Parametrization.Full, FeatureMlpWidth = 8, Activation = ScoreActivation.Relu };
        Assert.Equal(EngineKind.TorchSharp, Runner.ResolveEngine(reluMlp, training));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Runner.ResolveEngine(reluMlp, training with { Engine = EngineKind.Fast }));
        Assert.Equal("Engine", e.ParamName);
        Assert.Contains("Activation is Relu with FeatureMlpWidth 8", e.Message);

        // A feature MLP runs on the fast engine with the Full parametrisation (the nonlinear experiment's model) only.
        var mlp = new ModelOptions { Parametrization = Parametrization.Full, FeatureMlpWidth = 30 };
        Assert.Equal(EngineKind.Fast, Runner.ResolveEngine(mlp, training));
        Assert.Equal(EngineKind.TorchSharp, Runner.ResolveEngine(mlp with { Parametrization = Parametrization.Restricted }, training));
        e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Runner.ResolveEngine(mlp with { Parametrization = Parametrization.Restricted }, training with { Engine = EngineKind.Fast }));
        Assert.Contains("FeatureMlpWidth is 30", e.Message);
        Assert.Contains("needs Full", e.Message);
    }

    [Fact]
    public void TrainAll_GivesTheSameResultsAsSequentialRuns()
    {
        var specs = Enumerable.Range(0, 3).Select(seed => PaperPresets.Get("setting2", OptimizerKind.Adam, seed: (ulong)seed) is var s
            ? s with { Training = s.Training with { Steps = 50, BatchSize = 64, EvaluateEvery = 25, Threads = 1 } }
            : throw new InvalidOperationException()).ToList();
        var completed = new System.Collections.Concurrent.ConcurrentBag<int>();
        TrainingResult[] parallel = Runner.TrainAll(specs, 2, (i, _) => completed.Add(i));
        Assert.Equal(new[] { 0, 1, 2 }, completed.OrderBy(i => i));
        for (int i = 0; i < specs.Count; i++)
            Assert.Equal(Runner.Train(specs[i]).FinalParameters, parallel[i].FinalParameters);
    }
}
