using System.Text.Json.Nodes;
using LinAttn.AutoML;
using LinAttn.Training;

namespace LinAttn.Tests.AutoML;

/// <summary>The settings a stored study must match to be resumed.</summary>
public sealed class ExperimentPlanTests
{
    private static ExperimentPlan Plan(PromptSampling sampling, int maxSkippedSteps = 0)
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        spec = spec with { Training = spec.Training with { Sampling = sampling, MaxSkippedSteps = maxSkippedSteps } };
        return new ExperimentPlan(spec, null!, 1, 100, 1000, null, null, 1, 3, null, RegressionMetric.MeanSquaredError, "asha", "study");
    }

    [Fact]
    public void Sampling_IsPartOfTheSettings_OnlyWhenNotTheDefault()
    {
        int[] rungs = { 10, 100 };
        string tokens = Plan(PromptSampling.Tokens).SettingsJson(rungs);
        string moments = Plan(PromptSampling.Moments).SettingsJson(rungs);
        Assert.DoesNotContain("sampling", tokens);         // studies stored before the option keep resuming
        Assert.NotEqual(tokens, moments);                   // a moments study does not resume a tokens one
        JsonNode parsed = JsonNode.Parse(moments)!;
        Assert.Equal("Moments", (string)parsed["task"]!["sampling"]!);
        parsed["task"]!.AsObject().Remove("sampling");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(tokens), parsed));
    }

    [Fact]
    public void SkippedSteps_ArePartOfTheSettings_OnlyWhenNotZero()
    {
        int[] rungs = { 10, 100 };
        string old = Plan(PromptSampling.Tokens).SettingsJson(rungs);
        Assert.DoesNotContain("maxSkippedSteps", old);      // studies stored before the option keep resuming
        JsonNode skipping = JsonNode.Parse(Plan(PromptSampling.Tokens, maxSkippedSteps: 5).SettingsJson(rungs))!;
        Assert.Equal(5, (int)skipping["task"]!["maxSkippedSteps"]!);
        skipping["task"]!.AsObject().Remove("maxSkippedSteps");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(old), skipping));
    }
}
