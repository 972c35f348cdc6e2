using LinAttn.Cli;
using LinAttn.Tests.TestKit;
using LinAttn.Training;
using Spectre.Console;
using Spectre.Console.Testing;

namespace LinAttn.Tests.Cli;

public sealed class TrainCommandTests : TorchTest, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "linattn-cli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Train_WritesHistories_AndComparesOptimizers()
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "train", "--preset", "setting1", "--steps", "40", "--batch-size", "64", "--eval-every", "20", "--threads", "1", "--out", _folder }, console);
        Assert.Equal(0, code);
        Assert.Contains("Setting 1", console.Output);
        Assert.Contains("step     40/40", console.Output);
        Assert.Contains("SGDM", console.Output);
        foreach (string optimizer in new[] { "sgdm", "adam" })
        {
            string json = Path.Combine(_folder, $"setting1-{optimizer}-seed0.history.json");
            TrainingHistory history = TrainingHistory.FromJson(File.ReadAllText(json));
            Assert.Equal(40, history.Steps);
            Assert.Equal(new[] { 0, 20, 40 }, history.EvaluationSteps);
            Assert.True(File.Exists(Path.Combine(_folder, $"setting1-{optimizer}-seed0.csv")));
        }
    }

    [Theory]
    [InlineData("--optimizer", "lion", "--optimizer 'lion' is not known")]
    [InlineData("--preset", "setting9", "Known presets")]
    [InlineData("--steps", "0", "--steps: Steps must be positive")]
    [InlineData("--lr", "-1", "--lr")]
    public async Task BadFlags_FailFast_WithAMessageNamingTheFlag(string flag, string value, string expected)
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "train", flag, value, "--out", _folder }, console);
        Assert.Equal(2, code);
        Assert.Contains(expected, console.Output);
    }

    [Fact]
    public async Task UnknownFlag_IsReportedByTheParser()
    {
        var console = new TestConsole();
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            int code = await Program.Run(new[] { "train", "--stepz", "5" }, console);
            Assert.NotEqual(0, code);
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.Contains("--stepz", error.ToString());
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }
}
