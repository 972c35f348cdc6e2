using LinAttn.AutoML;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.AutoML;

public sealed class ReproducibilityTests : TorchTest
{
    [Fact]
    public async Task SameSeed_GivesTheSameTrialTable_WithOneAndTwoConcurrentTrials()
    {
        ExperimentResult one = await SmallStudy.Experiment(seed: 3).SetMaxConcurrentTrials(1).RunAsync();
        ExperimentResult two = await SmallStudy.Experiment(seed: 3).SetMaxConcurrentTrials(2).RunAsync();
        Assert.True(one.Trials.Count > 20, $"only {one.Trials.Count} trials");
        Assert.Equal(SmallStudy.Table(one), SmallStudy.Table(two));
        Assert.Equal(one.Ranking, two.Ranking);
        Assert.Equal(one.BestModelParameters, two.BestModelParameters);

        ExperimentResult other = await SmallStudy.Experiment(seed: 4).SetMaxConcurrentTrials(2).RunAsync();
        Assert.NotEqual(SmallStudy.Table(one), SmallStudy.Table(other));
    }

    [Fact]
    public async Task RandomTuner_IsReproducible_AndStaysInTheBudget()
    {
        AutoMLExperiment Make(int parallel) => new AutoMLExperiment(SmallStudy.Task(), 11)
            .AddOptimizer<SgdMomentumSearchOptions>("sgdm").AddOptimizer<AdamSearchOptions>("adam")
            .SetStepBudget(90, 400).SetRandomSearchTuner().SetMaxConcurrentTrials(parallel);
        ExperimentResult a = await Make(1).RunAsync();
        ExperimentResult b = await Make(2).RunAsync();
        Assert.Equal(SmallStudy.Table(a), SmallStudy.Table(b));
        Assert.InRange(a.SearchSteps, 300, 400);
        Assert.All(a.Trials, t => Assert.Equal(TrialPhase.Search, t.Phase));
    }
}
