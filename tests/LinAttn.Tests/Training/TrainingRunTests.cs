using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.Training;

public sealed class TrainingRunTests : TorchTest
{
    private static RunSpec Small(OptimizerKind optimizer, int steps, LearningRateSchedule? schedule = null) =>
        PaperPresets.Get("setting1", optimizer, 0.02, 5) with
        {
            Training = PaperPresets.Get("setting1", optimizer, 0.02, 5).Training with
            {
                Steps = steps, BatchSize = 64, EvaluateEvery = 10, EvaluationBatchSize = 128, Threads = 1, SnapshotEvery = 15,
                Schedule = schedule ?? LearningRateSchedule.Constant,
            },
        };

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.SgdMomentum)]
    public void AdvancingInPieces_EqualsOneRun(OptimizerKind optimizer)
    {
        RunSpec spec = Small(optimizer, 47, new LearningRateSchedule { Kind = ScheduleKind.Cosine, WarmupFraction = 0.2 });
        TrainingResult whole = Runner.Train(spec);

        using TrainingRun run = Runner.Start(spec);
        Assert.Null(run.Advance(7));
        Assert.Equal(7, run.Step);
        double atSeven = run.Evaluate();                   // a rung evaluation is not recorded and changes nothing
        Assert.Null(run.Advance(20));
        Assert.Null(run.Advance(20));                      // a zero-length advance is allowed
        TrainingResult pieces = run.Advance(47)!;

        Assert.Equal(TrainingStatus.Completed, pieces.Status);
        Assert.Equal(whole.History.TrainLoss, pieces.History.TrainLoss);
        Assert.Equal(whole.History.LearningRate, pieces.History.LearningRate);
        Assert.Equal(whole.History.EvaluationSteps, pieces.History.EvaluationSteps);
        Assert.Equal(whole.History.EvaluationLoss, pieces.History.EvaluationLoss);
        Assert.Equal(whole.History.SnapshotSteps, pieces.History.SnapshotSteps);
        Assert.Equal(whole.FinalParameters, pieces.FinalParameters);
        Assert.True(double.IsFinite(atSeven));
        Assert.Equal(whole.History.Snapshots[1], pieces.History.Snapshots[1]);
    }

    [Fact]
    public void EndedOrBackwardAdvance_IsRejectedWithTheRange()
    {
        using TrainingRun run = Runner.Start(Small(OptimizerKind.Adam, 10));
        Assert.Null(run.Advance(5));
        var back = Assert.Throws<ArgumentOutOfRangeException>(() => run.Advance(3));
        Assert.Contains("[5, 10]", back.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Advance(11));
        Assert.NotNull(run.Advance(10));
        Assert.Throws<InvalidOperationException>(() => run.Advance(10));
    }

    [Fact]
    public void Divergence_EndsTheRun_AtItsStep()
    {
        RunSpec spec = Small(OptimizerKind.Sgd, 60) with { Training = Small(OptimizerKind.Sgd, 60).Training with { ClipThreshold = null } };
        spec = spec with { Training = spec.Training with { Optimizer = spec.Training.Optimizer with { LearningRate = 1e3 } } };
        using TrainingRun run = Runner.Start(spec);
        TrainingResult? result = run.Advance(30);
        Assert.NotNull(result);
        Assert.Equal(TrainingStatus.Diverged, result!.Status);
        Assert.Equal(result.DivergedAtStep!.Value + 1, run.Step);
    }
}
