using LinAttn.AutoML;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.AutoML;

public sealed class DivergenceTests : TorchTest
{
    [Fact]
    public async Task FarTooHighLearningRate_IsDiverged_WithItsStep_AndTheCurveShowsTheCliff()
    {
        ExperimentResult result = await new AutoMLExperiment(SmallStudy.Task(), 5)
            .AddOptimizer("sgdm", 1e-3, 30)
            .SetStepBudget(60, 10 * 60)
            .SetGridSearchTuner(8)
            .SetScheduler(new FullBudgetScheduler())
            .RunAsync();

        TrialResult highest = result.Trials.OrderBy(t => t.Parameter.LearningRate).Last();
        Assert.Equal(30, highest.Parameter.LearningRate, 12);
        Assert.Equal(TrialStatus.Diverged, highest.Status);
        Assert.NotNull(highest.DivergedAtStep);
        Assert.True(highest.DivergedAtStep < 60);
        Assert.Equal(highest.DivergedAtStep + 1, highest.Steps);
        Assert.True(double.IsNaN(highest.Loss));

        OptimizerSummary sgdm = Assert.Single(result.Optimizers);
        Assert.NotNull(sgdm.DivergenceCliff);
        Assert.True(sgdm.DivergenceCliff > sgdm.BestLearningRate);
        // The curve: finite losses below the cliff, NaN (diverged) from the cliff up.
        var curve = sgdm.SensitivityCurve;
        Assert.Equal(8, curve.Count);
        Assert.All(curve.Where(p => p.LearningRate < sgdm.DivergenceCliff), p => Assert.True(double.IsFinite(p.Loss)));
        Assert.All(curve.Where(p => p.LearningRate >= sgdm.DivergenceCliff), p => Assert.Equal(TrialStatus.Diverged, p.Status));
        Assert.NotNull(sgdm.StableRange);
        Assert.True(sgdm.StableRange!.Value.High < sgdm.DivergenceCliff);
        Assert.Contains("Diverged", result.ToCsv());
    }

    [Fact]
    public async Task ALossSpikeFromOneRarePrompt_MakesATrialDiverged_UnlessTheRatioRuleIsOff()
    {
        // Every trial's batch at step 20 holds a rare prompt (tokens × 3) that sends the batch loss above 10 × the first.
        static TrainingRun Start(RunSpec trial)
        {
            var sampler = new PromptSampler(trial.Task);
            PromptBatch evaluation = sampler.Sample(trial.Training.EvaluationBatchSize, trial.Training.EvaluationSeed, StreamPurpose.Evaluation, 0, 1);
            var source = new OutlierAtStep(new SyntheticBatchSource(sampler, trial.Training.BatchSize, trial.Training.Seed, 1), 3f, 20);
            ITrainingBackend backend = Runner.CreateBackend(trial.Model, trial.Training, LinearTransformer.InitialParameters(trial.Model, trial.Training.Seed));
            return new TrainingRun(backend, trial.Training, source, evaluation);
        }
        AutoMLExperiment Experiment() => new AutoMLExperiment(SmallStudy.Task(), 5)
            .AddOptimizer("adam", 1e-2, 2e-2)
            .SetStepBudget(60, 2 * 60)
            .SetGridSearchTuner(2)
            .SetScheduler(new FullBudgetScheduler())
            .SetTrialRunner(Start);

        ExperimentResult guarded = await Experiment().RunAsync();
        Assert.All(guarded.Trials, t => Assert.Equal((TrialStatus.Diverged, 20), (t.Status, t.DivergedAtStep)));

        ExperimentResult off = await Experiment().SetDivergenceLossRatio(null).RunAsync();
        Assert.Equal(2, off.Trials.Count);
        Assert.All(off.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.All(off.Trials, t => Assert.True(double.IsFinite(t.Loss) && t.Loss < t.InitialLoss, $"{t.Loss} vs {t.InitialLoss}"));
        Assert.Null(Assert.Single(off.Optimizers).DivergenceCliff);
    }
}
