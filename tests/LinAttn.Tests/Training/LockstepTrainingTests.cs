using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.Training;

/// <summary><see cref="Runner.TrainInLockstep"/>: runs that draw the same batches, trained together on one sampled
/// batch per step, give exactly what each gives alone.</summary>
public sealed class LockstepTrainingTests : TorchTest
{
    private static RunSpec Small(OptimizerKind optimizer, int steps = 40, ulong seed = 3) =>
        PaperPresets.Get("setting1", optimizer, 0.02, 5) with
        {
            Training = PaperPresets.Get("setting1", optimizer, 0.02, 5).Training with
            {
                Steps = steps, BatchSize = 64, EvaluateEvery = 10, EvaluationBatchSize = 128, Threads = 1, SnapshotEvery = 7, Seed = seed,
            },
        };

    private static void AssertSameRun(TrainingResult alone, TrainingResult together)
    {
        Assert.Equal(alone.Status, together.Status);
        Assert.Equal(alone.Message, together.Message);
        Assert.Equal(alone.DivergedAtStep, together.DivergedAtStep);
        Assert.Equal(alone.History.TrainLoss, together.History.TrainLoss);
        Assert.Equal(alone.History.GradientNorm, together.History.GradientNorm);
        Assert.Equal(alone.History.EvaluationSteps, together.History.EvaluationSteps);
        Assert.Equal(alone.History.EvaluationLoss, together.History.EvaluationLoss);
        Assert.Equal(alone.History.SnapshotSteps, together.History.SnapshotSteps);
        Assert.Equal(alone.History.Snapshots, together.History.Snapshots);
        Assert.Equal(alone.FinalParameters, together.FinalParameters);
    }

    [Fact]
    public void TrainInLockstep_EqualsEachRunAlone_BitForBit()
    {
        RunSpec[] specs =
        {
            Small(OptimizerKind.SgdMomentum),
            Small(OptimizerKind.Adam),
            Small(OptimizerKind.Adam, steps: 25),   // a shorter horizon stops early; the others go on
            Small(OptimizerKind.Adam) with { Model = Small(OptimizerKind.Adam).Model with { Parametrization = Parametrization.Full } },
            Small(OptimizerKind.SgdMomentum) with { Training = Small(OptimizerKind.SgdMomentum).Training with { Engine = EngineKind.TorchSharp } },
        };
        var reports = specs.Select(_ => new List<TrainingProgress>()).ToArray();
        TrainingResult[] together = Runner.TrainInLockstep(specs, reports.Select(r => (IProgress<TrainingProgress>?)new Inline<TrainingProgress>(r.Add)).ToArray());
        for (int i = 0; i < specs.Length; i++)
        {
            TrainingResult alone = Runner.Train(specs[i]);
            Assert.Equal(TrainingStatus.Completed, alone.Status);
            Assert.Equal(specs[i].Training.Steps, together[i].History.Steps);
            AssertSameRun(alone, together[i]);
            Assert.Equal(specs[i].Training.Steps, reports[i][^1].Step);   // each run reports its own progress
        }
        // The runs really differ (the comparison above is not between copies of one run).
        Assert.NotEqual(together[0].FinalParameters, together[1].FinalParameters);
    }

    [Fact]
    public void TrainInLockstep_ADivergedRunDropsOut_AndTheOthersContinue()
    {
        RunSpec diverging = Small(OptimizerKind.SgdMomentum) with
        {
            Training = Small(OptimizerKind.SgdMomentum).Training with
            {
                ClipThreshold = null, Optimizer = Small(OptimizerKind.SgdMomentum).Training.Optimizer with { LearningRate = 1e4 },
            },
        };
        RunSpec steady = Small(OptimizerKind.Adam);
        TrainingResult[] together = Runner.TrainInLockstep(new[] { diverging, steady });
        Assert.Equal(TrainingStatus.Diverged, together[0].Status);
        Assert.Equal(TrainingStatus.Completed, together[1].Status);
        AssertSameRun(Runner.Train(diverging), together[0]);
        AssertSameRun(Runner.Train(steady), together[1]);
    }

    [Fact]
    public void TrainInLockstep_RejectsRunsThatDrawDifferentBatches()
    {
        var e = Assert.Throws<ArgumentException>(() => Runner.TrainInLockstep(new[] { Small(OptimizerKind.Adam), Small(OptimizerKind.Adam, seed: 4) }));
        Assert.Contains("Training.Seed", e.Message);
        Assert.Equal("specs", e.ParamName);
        RunSpec otherTask = Small(OptimizerKind.Adam) with { Task = Small(OptimizerKind.Adam).Task with { ContextLength = 10 } };
        Assert.Throws<ArgumentException>(() => Runner.TrainInLockstep(new[] { Small(OptimizerKind.Adam), otherTask }));
        Assert.False(Runner.DrawSameBatches(Small(OptimizerKind.Adam), otherTask));
        Assert.True(Runner.DrawSameBatches(Small(OptimizerKind.Adam), Small(OptimizerKind.SgdMomentum)));
    }

    [Fact]
    public void TrainInLockstep_Cancelled_EndsEveryRunCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        TrainingResult[] results = Runner.TrainInLockstep(new[] { Small(OptimizerKind.SgdMomentum), Small(OptimizerKind.Adam) }, cancellationToken: cts.Token);
        Assert.All(results, r => Assert.Equal(TrainingStatus.Cancelled, r.Status));
    }

    [Fact]
    public void LockstepBatchSource_DrawsEachStepOnce()
    {
        var inner = new CountingSource();
        var shared = new LockstepBatchSource(inner);
        PromptBatch first = shared.Next(0);
        Assert.Same(first, shared.Next(0));
        Assert.Equal(1, inner.Calls);
        shared.Next(1);
        shared.Next(1);
        Assert.Equal(2, inner.Calls);
    }

    private sealed class CountingSource : IPromptBatchSource
    {
        public int Calls { get; private set; }

        public PromptBatch Next(int step)
        {
            Calls++;
            return new PromptBatch(1, 1, 1, new float[4], new float[1]);
        }
    }

    private sealed class Inline<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
