using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.Diagnostics;

/// <summary>Trajectory studies and optimizer comparisons on a tiny configuration: values match direct computations,
/// finished units are stored and a rerun loads them.</summary>
public sealed class StudyTests : TorchTest, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "linattn-study-" + Guid.NewGuid().ToString("N"));

    private static ComparisonVariant Tiny()
    {
        RunSpec Make(OptimizerKind kind) => new("tiny",
            new ModelOptions { Dimension = 3, Layers = 2 },
            new TaskOptions { Dimension = 3, ContextLength = 6 },
            new TrainingOptions
            {
                Steps = 30, BatchSize = 32, EvaluationBatchSize = 64, EvaluateEvery = 10, Threads = 1,
                Optimizer = new OptimizerOptions { Kind = kind, LearningRate = 0.02, Beta2 = 0.9 },
            });
        return new ComparisonVariant("tiny", "tiny test configuration", Make(OptimizerKind.SgdMomentum), Make(OptimizerKind.Adam));
    }

    private static readonly ComparisonOptions Options = new()
    {
        Seeds = new ulong[] { 0, 1 },
        Trajectory = new TrajectoryOptions { ConditionSteps = new[] { 0, 20 }, SpectrumSteps = new[] { 20 }, SmoothnessSteps = TrajectoryOptions.Every(5, 29) },
        Noise = new GradientNoiseOptions { MinibatchSize = 32, LargeBatchMultiple = 4, Minibatches = 30, Bins = 10 },
    };

    [Fact]
    public void TrajectoryStudy_MatchesDirectComputations()
    {
        RunSpec spec = Tiny().For(OptimizerKind.Adam, 3);
        TrajectoryResult result = TrajectoryStudy.Run(spec, Options.Trajectory);
        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(new[] { 0, 10, 20, 30 }, result.EvaluationSteps);
        Assert.Equal(new[] { 0, 20 }, result.ConditionSteps);
        Assert.Equal(new[] { 0, 5, 10, 15, 20, 25 }, result.SmoothnessSteps);
        Assert.Single(result.Spectra);
        Assert.Equal(spec.Model.ParameterCount, result.Spectra[0].Length);

        PromptBatch evaluation = new PromptSampler(spec.Task).Sample(64, 99, StreamPurpose.Evaluation, 0);
        double[] theta0 = LinearTransformer.InitialParameters(spec.Model, 3);
        double[] theta1 = Runner.Train(spec with { Training = spec.Training with { Steps = 1 } }).FinalParameters;
        using var loss = new TorchSharpDifferentiableLoss(spec.Model);
        HessianResult h0 = HessianAnalysis.Compute(loss, theta0, evaluation);
        // The study differentiates with the fast engine (finite-difference HVPs of an analytic gradient, relative
        // error ~1e-9 here); the reference is TorchSharp's exact double backward.
        AssertClose(h0.RobustCondition(RobustConditionDefinition.AbsoluteDiagonal), result.ConditionDiagonal[0], 1e-7);
        AssertClose(h0.RobustCondition(RobustConditionDefinition.Eigenvalues), result.ConditionEigenvalues[0], 1e-7);
        double ds0 = DirectionalSmoothness.Along(loss, theta0, theta1.Select((v, i) => v - theta0[i]).ToArray(), evaluation);
        AssertClose(ds0, result.Smoothness[0], 1e-6);
        Assert.Equal(result.EvaluationLoss[0], loss.Loss(theta0, evaluation), 5);   // training evaluates in float32

        TrajectoryResult copy = TrajectoryResult.FromJson(result.ToJson());
        Assert.Equal(result.ToJson(), copy.ToJson());
    }

    [Fact]
    public void Comparison_StoresUnits_AndAResumeLoadsThem()
    {
        var store = new DirectoryStudyStore(_folder);
        var first = new List<ComparisonProgress>();
        ComparisonResult a = OptimizerComparison.Run(Tiny(), Options, store, progress: new Inline<ComparisonProgress>(first.Add));
        Assert.Equal(5, Directory.GetFiles(_folder, "*.json").Length);   // 2 seeds × 2 optimizers + noise
        Assert.DoesNotContain(first, p => p.Cached);
        Assert.Equal(30, a.Noise!.Norms.Length);
        Assert.Equal(2, a.ConditionRatio(20).PerSeed.Count);
        Assert.Equal(2, a.LossBand(OptimizerKind.Adam).Counts[^1]);

        var second = new List<ComparisonProgress>();
        ComparisonResult b = OptimizerComparison.Run(Tiny(), Options, store, progress: new Inline<ComparisonProgress>(second.Add));
        Assert.Equal(5, second.Count);
        Assert.All(second, p => Assert.True(p.Cached && p.Finished));
        Assert.Equal(5, first.Count(p => p.Finished));
        Assert.Equal(a.Adam[1].ToJson(), b.Adam[1].ToJson());
        Assert.Equal(a.ConditionRatio(20).Mean, b.ConditionRatio(20).Mean);

        // A different thread count reuses them (results do not depend on it); a changed configuration does not.
        var threads = new List<ComparisonProgress>();
        OptimizerComparison.Run(Tiny().With(s => s with { Training = s.Training with { Threads = 2 } }), Options, store,
            progress: new Inline<ComparisonProgress>(threads.Add));
        Assert.All(threads, p => Assert.True(p.Cached));
        var third = new List<ComparisonProgress>();
        OptimizerComparison.Run(Tiny(), Options with { Seeds = new ulong[] { 0 }, Noise = null, Trajectory = new TrajectoryOptions() }, store,
            progress: new Inline<ComparisonProgress>(third.Add));
        Assert.DoesNotContain(third, p => p.Cached);
    }

    [Fact]
    public void Comparison_ParallelRuns_GiveTheSameResultsInTheSameOrder()
    {
        ComparisonOptions options = Options with { Seeds = new ulong[] { 0, 1, 2 }, Noise = null };
        ComparisonResult serial = OptimizerComparison.Run(Tiny(), options);
        var finished = new System.Collections.Concurrent.ConcurrentBag<string>();
        ComparisonResult parallel = OptimizerComparison.Run(Tiny(), options with { ParallelRuns = 2 },
            progress: new Inline<ComparisonProgress>(p => { if (p.Finished) finished.Add(p.Unit); }));
        Assert.Equal(6, finished.Count);
        foreach (OptimizerKind kind in OptimizerComparison.Optimizers)
        {
            Assert.Equal(3, parallel.Runs(kind).Count);
            for (int i = 0; i < 3; i++)
                Assert.Equal(WithoutTimings(serial.Runs(kind)[i]), WithoutTimings(parallel.Runs(kind)[i]));   // bit-identical, seed order kept
        }
        Assert.NotEqual(WithoutTimings(serial.Adam[0]), WithoutTimings(serial.Adam[1]));
    }

    [Fact]
    public void Comparison_ParallelRuns_Cancelled_ThrowsCancellationAndKeepsFinishedUnits()
    {
        var store = new DirectoryStudyStore(_folder);
        using var cts = new CancellationTokenSource();
        var progress = new Inline<ComparisonProgress>(p =>
        {
            if (p.Finished && !p.Cached) cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => OptimizerComparison.Run(Tiny(), Options with { Noise = null, ParallelRuns = 2 },
            store, progress: progress, cancellationToken: cts.Token));
        int saved = Directory.GetFiles(_folder, "*.json").Length;
        Assert.InRange(saved, 1, 3);   // the first finished run, and at most the other one that was running
    }

    [Fact]
    public void Comparison_Cancelled_KeepsFinishedUnits()
    {
        var store = new DirectoryStudyStore(_folder);
        using var cts = new CancellationTokenSource();
        var progress = new Inline<ComparisonProgress>(p =>
        {
            if (p.Unit == "tiny-adam-seed0" && p.Progress.Phase == StudyPhase.Smoothness) cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => OptimizerComparison.Run(Tiny(), Options, store, progress: progress, cancellationToken: cts.Token));
        string[] saved = Directory.GetFiles(_folder, "*.json").Select(Path.GetFileName).Order().ToArray()!;
        // Seed 0's SGDM and Adam train together, then SGDM's diagnostics finish and it is stored; the noise would run
        // last (noise units always do).
        Assert.Equal(new[] { "tiny-sgdm-seed0.json" }, saved);
    }

    [Fact]
    public void RunInLockstep_EqualsEachRunAlone()
    {
        RunSpec[] specs = { Tiny().For(OptimizerKind.SgdMomentum, 2), Tiny().For(OptimizerKind.Adam, 2) };
        var stored = new List<int>();
        TrajectoryResult[] together = TrajectoryStudy.RunInLockstep(specs, Options.Trajectory, onResult: (i, _) => stored.Add(i));
        Assert.Equal(new[] { 0, 1 }, stored);
        for (int i = 0; i < specs.Length; i++)
            Assert.Equal(WithoutTimings(TrajectoryStudy.Run(specs[i], Options.Trajectory)), WithoutTimings(together[i]));
        Assert.NotEqual(together[0].EvaluationLoss, together[1].EvaluationLoss);
    }

    [Fact]
    public void RunAll_PoolsComparisons_AndEqualsEachAlone()
    {
        ComparisonVariant other = Tiny().With(s => s with { Task = s.Task with { ContextLength = 4 } }) with { Label = "short" };
        ComparisonOptions options = Options with { Seeds = new ulong[] { 0, 1 } };
        var store = new DirectoryStudyStore(_folder);
        var finished = new System.Collections.Concurrent.ConcurrentBag<string>();
        ComparisonResult[] pooled = OptimizerComparison.RunAll(new[] { (Tiny(), options with { ParallelRuns = 2 }), (other, options with { ParallelRuns = 2 }) },
            store, progress: new Inline<ComparisonProgress>(p => { if (p.Finished) finished.Add(p.Unit); }));
        Assert.Equal(10, finished.Count);   // 2 studies × (2 seeds × 2 optimizers + noise)
        Assert.Equal(10, Directory.GetFiles(_folder, "*.json").Length);
        ComparisonResult[] alone = { OptimizerComparison.Run(Tiny(), options), OptimizerComparison.Run(other, options) };
        for (int s = 0; s < 2; s++)
        {
            Assert.Equal(alone[s].Variant.Label, pooled[s].Variant.Label);
            Assert.Equal(alone[s].Noise!.Norms, pooled[s].Noise!.Norms);
            foreach (OptimizerKind kind in OptimizerComparison.Optimizers)
                for (int i = 0; i < 2; i++)
                    Assert.Equal(WithoutTimings(alone[s].Runs(kind)[i]), WithoutTimings(pooled[s].Runs(kind)[i]));
        }
        Assert.NotEqual(pooled[0].Adam[0].EvaluationLoss, pooled[1].Adam[0].EvaluationLoss);

        // One run of a seed stored, the other not: only the missing one is computed, with the same result.
        File.Delete(Directory.GetFiles(_folder, "short-adam-seed1*.json").Single());
        var rerun = new List<ComparisonProgress>();
        ComparisonResult[] resumed = OptimizerComparison.RunAll(new[] { (Tiny(), options), (other, options) }, store,
            progress: new Inline<ComparisonProgress>(rerun.Add));
        Assert.Equal(new[] { "short-adam-seed1" }, rerun.Where(p => p.Finished && !p.Cached).Select(p => p.Unit).Distinct().ToArray());
        Assert.Equal(WithoutTimings(pooled[1].Adam[1]), WithoutTimings(resumed[1].Adam[1]));
    }

    [Fact]
    public void NoiseUnits_RunAfterEverySeedPair_EvenWhenEstimatedLongest()
    {
        // 3000 noise minibatches of 32 prompts: by the cost estimate, far longer than a 30-step seed pair.
        ComparisonOptions options = Options with { Seeds = new ulong[] { 0, 1 }, Noise = Options.Noise! with { Minibatches = 3000 } };
        var finished = new List<string>();
        OptimizerComparison.RunAll(new[] { (Tiny(), options) }, progress: new Inline<ComparisonProgress>(p => { if (p.Finished) finished.Add(p.Unit); }));
        Assert.Equal(5, finished.Count);
        Assert.Equal("tiny-noise", finished[^1]);
    }

    [Fact]
    public void StoredNoise_OfAnotherPrecision_IsRecomputed()
    {
        var store = new DirectoryStudyStore(_folder);
        ComparisonOptions options = Options with { Seeds = new ulong[] { 0 } };
        ComparisonResult dual = OptimizerComparison.Run(Tiny(), options with { Noise = options.Noise! with { Precision = Precision.Float64 } }, store);
        var computed = new List<string>();
        ComparisonResult single = OptimizerComparison.Run(Tiny(), options, store,
            progress: new Inline<ComparisonProgress>(p => { if (p.Finished && !p.Cached) computed.Add(p.Unit); }));
        Assert.Equal(new[] { "tiny-noise" }, computed);   // the runs are loaded; the noise's options changed
        Assert.Equal(WithoutTimings(dual.Adam[0]), WithoutTimings(single.Adam[0]));
        Assert.NotEqual(dual.Noise!.Norms, single.Noise!.Norms);
        Assert.True(Numerics.MaxRelativeError(single.Noise.Norms, dual.Noise.Norms) < 1e-4);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }

    private sealed class Inline<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }

    private static string WithoutTimings(TrajectoryResult r) => (r with { TrainingSeconds = 0, DiagnosticsSeconds = 0 }).ToJson();

    private static void AssertClose(double expected, double actual, double relative)
    {
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Abs(expected),
            $"expected {expected:R}, actual {actual:R}, relative error {Math.Abs(expected - actual) / Math.Abs(expected):E2} > {relative:E0}");
    }
}
