using LinAttn.AutoML;
using LinAttn.Tests.TestKit;

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
}
