using LinAttn.Model;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.Training;

public sealed class TrainingLoopTests : TorchTest
{
    private static RunSpec Small(OptimizerKind optimizer = OptimizerKind.Adam, int steps = 60, ulong seed = 3) =>
        PaperPresets.Get("setting1", optimizer, 0.02, seed) with
        {
            Training = PaperPresets.Get("setting1", optimizer, 0.02, seed).Training with
            {
                Steps = steps, BatchSize = 64, EvaluateEvery = 10, EvaluationBatchSize = 128, Threads = 1,
            },
        };

    // The training batches of `spec` (one thread), as Runner.Train draws them.
    private static SyntheticBatchSource Batches(RunSpec spec)
        => new(new LinAttn.Tasks.PromptSampler(spec.Task), spec.Training.BatchSize, spec.Training.Seed, 1);

    // A backend at `spec`'s θ₀.
    private static ITrainingBackend FreshBackend(RunSpec spec)
        => Runner.CreateBackend(spec.Model, spec.Training, LinearTransformer.InitialParameters(spec.Model, spec.Training.Seed));

    [Fact]
    public void SameSeed_GivesBitIdenticalRuns_WithOneThread()
    {
        RunSpec spec = Small() with { Training = Small().Training with { SnapshotEvery = 20 } };
        TrainingResult a = Runner.Train(spec);
        TrainingResult b = Runner.Train(spec);
        Assert.Equal(a.History.TrainLoss, b.History.TrainLoss);
        Assert.Equal(a.History.GradientNorm, b.History.GradientNorm);
        Assert.Equal(a.History.EvaluationLoss, b.History.EvaluationLoss);
        Assert.Equal(a.FinalParameters, b.FinalParameters);
        TrainingResult c = Runner.Train(spec with { Training = spec.Training with { Seed = 4 } });
        Assert.NotEqual(a.FinalParameters, c.FinalParameters);
    }

    [Fact]
    public void HugeLearningRate_StopsAsDiverged_WithinOneStep_NamingTheCause()
    {
        RunSpec spec = Small(OptimizerKind.Sgd) with { Training = Small(OptimizerKind.Sgd).Training with { ClipThreshold = null } };
        spec = spec with { Training = spec.Training with { Optimizer = spec.Training.Optimizer with { LearningRate = 1e3 } } };
        TrainingResult result = Runner.Train(spec);
        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.NotNull(result.DivergedAtStep);
        Assert.True(result.DivergedAtStep < 10, $"diverged only at step {result.DivergedAtStep}");
        Assert.Equal(result.DivergedAtStep!.Value + 1, result.History.Steps);   // stopped at the step that went bad
        Assert.Contains("learning rate", result.Message);
        Assert.Contains("clipping is off", result.Message);
        Assert.All(result.FinalParameters, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void OnePromptOverflowing_AfterTheLossFell_IsNamedAsTheLikelyCause()
    {
        RunSpec spec = Small(steps: 40);
        var source = new OutlierAtStep(Batches(spec), step: 30, scale: 1e12f);
        using ITrainingBackend backend = FreshBackend(spec);
        TrainingResult result = Trainer.Train(backend, spec.Training, source);
        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.Equal(30, result.DivergedAtStep);
        Assert.Contains("1 of the batch's 64 prompts carries 99% of its squared error (the largest, prompt 5's, is Infinity", result.Message);
        Assert.Contains("a few rare prompts whose predictions the model amplifies", result.Message);
        Assert.Contains("MaxSkippedSteps = k lets the run skip up to k such batches", result.Message);
        // The scaled prompt's context covariance is 10²⁴ times its own: the batch's largest by far.
        var spread = System.Text.RegularExpressions.Regex.Match(result.Message,
            @"prompt 5's context covariance \(1/n\) Σ x xᵀ is (\S+), the batch's median (\S+) and largest (\S+)\)");
        Assert.True(spread.Success, result.Message);
        double worst = double.Parse(spread.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double median = double.Parse(spread.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(spread.Groups[3].Value, spread.Groups[1].Value);
        Assert.True(worst > 1e20 * median, result.Message);
        Assert.Contains("Other causes: the learning rate 0.02", result.Message);
    }

    [Fact]
    public void ALearningRateBlowUp_IsCarriedByTheWholeBatch_AndNamesTheLearningRate()
    {
        RunSpec spec = Small(OptimizerKind.Sgd) with { Training = Small(OptimizerKind.Sgd).Training with { ClipThreshold = null } };
        spec = spec with { Training = spec.Training with { Optimizer = spec.Training.Optimizer with { LearningRate = 30 } } };
        TrainingResult result = Runner.Train(spec);
        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.Matches(@"(\d+) of the batch's 64 prompts carry 99%", result.Message);   // plural: more than one
        int carriers = int.Parse(System.Text.RegularExpressions.Regex.Match(result.Message, @"(\d+) of the batch's 64").Groups[1].Value);
        Assert.True(carriers > 1, result.Message);
        Assert.DoesNotContain("rare prompts", result.Message);
        Assert.Contains("Likely causes: the learning rate 30", result.Message);
    }

    [Fact]
    public void MaxSkippedSteps_SkipsNonFiniteSteps_LeavingThetaAsItWas_UpToTheLimit()
    {
        RunSpec spec = Small(steps: 40);
        spec = spec with { Training = spec.Training with { MaxSkippedSteps = 2, SnapshotEvery = 1 } };
        IPromptBatchSource Source(params int[] steps) => new OutlierAtStep(Batches(spec), 1e12f, steps);
        ITrainingBackend Backend() => FreshBackend(spec);

        using ITrainingBackend two = Backend();
        TrainingResult skipped = Trainer.Train(two, spec.Training, Source(10, 20));
        Assert.Equal(TrainingStatus.Completed, skipped.Status);
        Assert.Equal(new[] { 10, 20 }, skipped.History.SkippedSteps);
        Assert.False(double.IsFinite(skipped.History.TrainLoss[10]) && double.IsFinite(skipped.History.GradientNorm[10]), $"{skipped.History.TrainLoss[10]} {skipped.History.GradientNorm[10]}");
        Assert.Contains("Skipped 2 steps whose training loss or gradient was non-finite (at 10, 20; at most 2 allowed)", skipped.Message);
        Assert.Equal(skipped.History.Snapshots[10], skipped.History.Snapshots[11]);      // step 10 changed nothing
        Assert.NotEqual(skipped.History.Snapshots[11], skipped.History.Snapshots[12]);   // step 11 did
        Assert.True(skipped.History.TrainLoss[^1] < skipped.History.TrainLoss[0], string.Join(", ", skipped.History.TrainLoss));   // it kept learning
        Assert.Equal(skipped.History.SkippedSteps, TrainingHistory.FromJson(skipped.History.ToJson()).SkippedSteps);

        // One more than allowed: diverged at the third, naming the two it skipped.
        using ITrainingBackend three = Backend();
        TrainingResult stopped = Trainer.Train(three, spec.Training, Source(10, 20, 30));
        Assert.Equal(TrainingStatus.Diverged, stopped.Status);
        Assert.Equal(30, stopped.DivergedAtStep);
        Assert.Contains("Skipped 2 steps", stopped.Message);

        // The default stops at the first.
        using ITrainingBackend none = Backend();
        TrainingResult paper = Trainer.Train(none, spec.Training with { MaxSkippedSteps = 0 }, Source(10));
        Assert.Equal(10, paper.DivergedAtStep);
        Assert.Empty(paper.History.SkippedSteps);
        Assert.DoesNotContain("whose training loss or gradient was non-finite", paper.Message);   // no "Skipped k steps" sentence
    }

    [Fact]
    public void MaxSkippedSteps_Negative_IsRefusedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (Small().Training with { MaxSkippedSteps = -1 }).Validate());
        Assert.Equal("MaxSkippedSteps", e.ParamName);
    }

    [Fact]
    public void DivergenceLossRatio_StopsAGrowingLoss()
    {
        RunSpec spec = Small(OptimizerKind.Sgd) with { Training = Small(OptimizerKind.Sgd).Training with { ClipThreshold = null, DivergenceLossRatio = 3 } };
        spec = spec with { Training = spec.Training with { Optimizer = spec.Training.Optimizer with { LearningRate = 0.5 } } };
        TrainingResult result = Runner.Train(spec);
        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.Contains("exceeds 3", result.Message);
    }

    [Fact]
    public void DivergenceLossRatio_StopsAtASpikeOfOneRarePrompt_NamingTheStepsItSkipped()
    {
        // Steps 5 and 8 overflow (prompt 5's tokens × 1e12) and are skipped; step 10's rare prompt (× 3) sends the batch loss
        // above 10 × the first: the ratio rule cannot tell that from a divergence, so it stops there and its message says
        // what else may be going on.
        RunSpec spec = Small(steps: 40);
        spec = spec with { Training = spec.Training with { DivergenceLossRatio = 10, MaxSkippedSteps = 2 } };
        IPromptBatchSource Source() => new OutlierAtStep(new OutlierAtStep(Batches(spec), 1e12f, 5, 8), 3f, 10);
        using ITrainingBackend backend = FreshBackend(spec);
        TrainingResult result = Trainer.Train(backend, spec.Training, Source());
        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.Equal(10, result.DivergedAtStep);
        Assert.True(result.History.TrainLoss[10] > 10 * result.History.TrainLoss[0], string.Join(", ", result.History.TrainLoss));
        Assert.Contains("exceeds 10 × the first loss", result.Message);
        Assert.Contains("Skipped 2 steps whose training loss or gradient was non-finite (at 5, 8; at most 2 allowed)", result.Message);
        Assert.Contains("raise DivergenceLossRatio or turn it off", result.Message);

        // Without the ratio rule the same run trains through the spike.
        using ITrainingBackend again = FreshBackend(spec);
        TrainingResult off = Trainer.Train(again, spec.Training with { DivergenceLossRatio = null }, Source());
        Assert.Equal(TrainingStatus.Completed, off.Status);
        Assert.Equal(new[] { 5, 8 }, off.History.SkippedSteps);
    }

    [Fact]
    public void ANonFiniteEvaluationLoss_StopsTheRunAtThatEvaluation_BeforeItsStep()
    {
        // An evaluation batch whose prompt 5 is scaled by 1e12 overflows from the start: the run stops at step 0's evaluation.
        RunSpec spec = Small(steps: 40);
        LinAttn.Tasks.PromptBatch evaluation = new OutlierAtStep(new SyntheticBatchSource(new LinAttn.Tasks.PromptSampler(spec.Task), 128, 99, 1), 1e12f, 0).Next(0);
        using var run = new TrainingRun(FreshBackend(spec), spec.Training, Batches(spec), evaluation);
        TrainingResult result = run.Advance(spec.Training.Steps)!;
        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.Equal(0, result.DivergedAtStep);
        Assert.Empty(result.History.TrainLoss);
        Assert.StartsWith("Training diverged at step 0: the evaluation loss became", result.Message);
        Assert.Contains("the parameters are those after 0 updates; step 0 was not taken.", result.Message);
        Assert.DoesNotContain("the update was not applied", result.Message);
        Assert.Equal(LinearTransformer.InitialParameters(spec.Model, spec.Training.Seed), result.FinalParameters);
    }

    [Fact]
    public void Cancellation_StopsBetweenSteps_AndKeepsTheHistory()
    {
        using var cts = new CancellationTokenSource();
        var progress = new CancelAfter(cts, 20);
        TrainingResult result = Runner.Train(Small(steps: 1000), progress, cts.Token);
        Assert.Equal(TrainingStatus.Cancelled, result.Status);
        Assert.InRange(result.History.Steps, 20, 30);
        Assert.Equal(result.History.Steps, result.History.TrainLoss.Count);
    }

    [Fact]
    public void History_RecordsEvaluationsAndSnapshots_AndRoundTripsThroughJson()
    {
        RunSpec spec = Small(steps: 25) with { Training = Small(steps: 25).Training with { SnapshotEvery = 10 } };
        TrainingResult result = Runner.Train(spec);
        Assert.Equal(new[] { 0, 10, 20, 25 }, result.History.EvaluationSteps);
        Assert.Equal(new[] { 0, 10, 20, 25 }, result.History.SnapshotSteps);
        Assert.Equal(LinearTransformer.InitialParameters(spec.Model, spec.Training.Seed), result.History.Snapshots[0]);
        Assert.Equal(result.FinalParameters, result.History.Snapshots[^1]);

        TrainingHistory copy = TrainingHistory.FromJson(result.History.ToJson());
        Assert.Equal(result.History.TrainLoss, copy.TrainLoss);
        Assert.Equal(result.History.Snapshots[1], copy.Snapshots[1]);

        string[] csv = result.History.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("step,train_loss,grad_norm,learning_rate,eval_loss", csv[0]);
        Assert.Equal(27, csv.Length);                       // header + steps 0..24 + the final evaluation at 25
        Assert.EndsWith(",", csv[2]);                       // step 1: no evaluation
        Assert.StartsWith("25,,,,", csv[^1]);
    }

    [Fact]
    public void Options_OutOfRange_AreRejectedWithTheirName()
    {
        RunSpec spec = Small();
        var badLr = spec with { Training = spec.Training with { Optimizer = spec.Training.Optimizer with { LearningRate = -0.1 } } };
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => Runner.Train(badLr)).ParamName);
        var badSteps = spec with { Training = spec.Training with { Steps = 0 } };
        Assert.Equal("Steps", Assert.Throws<ArgumentOutOfRangeException>(() => Runner.Train(badSteps)).ParamName);
        var mismatch = spec with { Model = spec.Model with { Dimension = 4 } };
        Assert.Contains("Task.Dimension", Assert.Throws<ArgumentOutOfRangeException>(() => Runner.Train(mismatch)).Message);
    }

    private sealed class CancelAfter(CancellationTokenSource source, int step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step) source.Cancel();
        }
    }
}
