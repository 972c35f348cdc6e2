using LinAttn.AutoML;
using LinAttn.Tests.TestKit;
using LinAttn.Training;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;

namespace LinAttn.Tests.AutoML;

public sealed class SearchSpaceTests : TorchTest
{
    public sealed class TunedMomentum
    {
        [Range(1e-3, 1.0, 0.02, true)]
        public double LearningRate { get; set; }

        [Range(0.5, 0.99, 0.9, false)]
        public double Momentum { get; set; } = 0.9;
    }

    public sealed class TunedShared
    {
        [Choice(new object[] { 64, 128 })]
        public int BatchSize { get; set; } = 64;

        [BooleanChoice(true)]
        public bool UseClipping { get; set; } = true;

        public double ClipThreshold { get; set; } = 0.5;
    }

    [Fact]
    public void Attributes_BecomeDimensions_AndUnannotatedPropertiesAreFixed()
    {
        SearchSpace space = new AutoMLExperiment(SmallStudy.Task())
            .AddOptimizer<TunedMomentum>("sgdm").AddOptimizer<AdamSearchOptions>("adam").SetSharedOptions<TunedShared>().BuildSearchSpace();
        OptimizerSpace sgdm = space["sgdm"];
        Assert.Equal(OptimizerKind.SgdMomentum, sgdm.Kind);
        Assert.Equal(new[] { "LearningRate", "Momentum" }, sgdm.Dimensions.Select(d => d.Name));
        Assert.True(sgdm.LearningRate.LogScale);
        Assert.Equal((1e-3, 1.0, 0.02), (sgdm.LearningRate.Min, sgdm.LearningRate.Max, sgdm.LearningRate.Default));
        Assert.False(sgdm.Dimensions[1].LogScale);
        Assert.Equal(new[] { 0.9, 0.9 }, new[] { space["adam"].Fixed["Beta1"], space["adam"].Fixed["Beta2"] });
        Assert.Equal(new[] { "BatchSize", "UseClipping" }, space.Shared.Select(d => d.Name));
        Assert.Equal(new[] { 64.0, 128.0 }, space.Shared[0].Choices);
        Assert.Equal(0.5, space.SharedFixed["ClipThreshold"]);
        Assert.Equal(4, space.DimensionsOf("sgdm").Count);

        Parameter p = space.FromUnit("sgdm", new[] { 0.0, 1.0, 0.9, 0.1 });
        Assert.Equal(1e-3, p.LearningRate);
        Assert.Equal(0.99, p["Momentum"]);
        Assert.Equal(128, p["BatchSize"]);
        Assert.Equal(0, p["UseClipping"]);
        Assert.Equal(p, Parameter.FromJson(p.ToJson()));
        Assert.Equal(space.Hash(), new AutoMLExperiment(SmallStudy.Task()).AddOptimizer<TunedMomentum>("sgdm").AddOptimizer<AdamSearchOptions>("adam")
            .SetSharedOptions<TunedShared>().BuildSearchSpace().Hash());
        Assert.NotEqual(space.Hash(), new AutoMLExperiment(SmallStudy.Task()).AddOptimizer<TunedMomentum>("sgdm").BuildSearchSpace().Hash());
        Assert.Throws<ArgumentOutOfRangeException>(() => space["lion"]);
    }

    [Fact]
    public async Task TwoSearchedDimensions_UseTpe_AndTheTableIsAnIDataView()
    {
        ExperimentResult result = await new AutoMLExperiment(SmallStudy.Task(), 9).AddOptimizer<TunedMomentum>("sgdm")
            .SetStepBudget(90)
            .SetDefaultTuner(new DefaultTunerOptions { ProbePoints = 3, ProbeWidenings = 0, ExplorationPoints = 9, ExploitationPoints = 2, ConfirmationSeeds = 0 })
            .RunAsync();
        var exploit = result.Trials.Where(t => t.Phase == TrialPhase.Exploitation).ToList();
        Assert.NotEmpty(exploit);
        Assert.All(result.Trials.Where(t => t.Phase != TrialPhase.Probe), t => Assert.InRange(t.Parameter["Momentum"], 0.5, 0.99));
        Assert.Null(result.Optimizers[0].Confirmation);

        var ml = new MLContext(0);
        IDataView view = result.ToDataView(ml);
        Assert.Contains(view.Schema, c => c.Name == "LearningRate");
        Assert.Equal(result.Trials.Count, ml.Data.CreateEnumerable<TrialRow>(view, false).Count());
        Assert.Contains("\"ranking\"", result.ToJson());
    }
}
