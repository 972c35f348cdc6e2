using LinAttn.AutoML;
using LinAttn.Tests.TestKit;
using Xunit.Abstractions;

namespace LinAttn.Tests.AutoML;

public sealed class ExperimentSmokeTests : TorchTest
{
    private readonly ITestOutputHelper _out;

    public ExperimentSmokeTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public async Task DefaultStrategy_RunsEveryStage_AndRanksOptimizers()
    {
        ExperimentResult result = await SmallStudy.Experiment().SetMaxConcurrentTrials(2).RunAsync();
        _out.WriteLine(result.ToCsv());
        Assert.True(result.IsComplete);
        foreach (TrialPhase phase in new[] { TrialPhase.Probe, TrialPhase.Exploration, TrialPhase.Exploitation, TrialPhase.Confirmation })
            Assert.Contains(result.Trials, t => t.Phase == phase);
        Assert.All(result.Trials, t => Assert.True(t.IsFinal, $"trial {t.TrialId} is {t.Status}"));
        Assert.Equal(2, result.Optimizers.Count);
        Assert.All(result.Optimizers, o => Assert.NotNull(o.Confirmation));
        Assert.True(result.SearchSteps <= 3L * 90 * 2, $"search spent {result.SearchSteps} steps");
        Assert.NotNull(result.BestModelParameters);
    }
}
