using LinAttn.Examples.MLNet;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.MLNet;

/// <summary>The examples run at tiny size (the full runs are in examples/MLNetQuickStart/README.md).</summary>
public sealed class ExampleSmokeTests : TorchTest
{
    [Fact]
    public void QuickStart_RunsAndRoundTripsTheModel()
    {
        string path = Path.Combine(Path.GetTempPath(), $"linattn-quickstart-{Guid.NewGuid():N}.zip");
        try
        {
            var output = new StringWriter();
            var (metrics, identical) = QuickStartExample.Run(trainingPrompts: 400, testPrompts: 100, epochs: 2, output, path);
            Assert.True(identical);
            Assert.True(double.IsFinite(metrics.RSquared));
            string text = output.ToString();
            Assert.Contains("Held-out prompts: R² = ", text);
            Assert.Contains("bit-identical: True", text);
            Assert.Contains("Recovered model: d = 5, n = 20, L = 3", text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GroupedRegression_RunsAndBeatsTheGlobalBaseline()
    {
        var output = new StringWriter();
        var (inContext, baseline) = GroupedRegressionExample.Run(sensors: 60, pretrainingSteps: 150, epochs: 2, output);
        Assert.Contains("Held-out sensors: R² = ", output.ToString());
        Assert.True(inContext > baseline, $"in-context R² {inContext} vs global {baseline}");
    }
}
