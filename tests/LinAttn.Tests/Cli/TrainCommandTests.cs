using LinAttn.Cli;
using LinAttn.Model;
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
    [InlineData("--engine", "warp", "--engine 'warp' is not known")]
    [InlineData("--activation", "tanh", "--activation 'tanh' is not known")]
    [InlineData("--activation", "1", "--activation '1' is not known")]   // names only, not the enum's numbers
    [InlineData("--sampling", "wishart", "--sampling 'wishart' is not known. Known values: tokens, moments")]
    [InlineData("--dimension", "0", "--dimension: Dimension must be positive")]
    [InlineData("--precision", "half", "--precision 'half' is not known. Known values: float32, float64")]
    [InlineData("--max-skipped-steps", "-1", "--max-skipped-steps: MaxSkippedSteps must be non-negative")]
    [InlineData("--context-length", "-3", "--context-length: ContextLength must be positive")]
    public async Task BadFlags_FailFast_WithAMessageNamingTheFlag(string flag, string value, string expected)
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "train", flag, value, "--out", _folder }, console);
        Assert.Equal(2, code);
        Assert.Contains(expected, console.Output);
    }

    [Fact]
    public async Task Engine_SelectsTheBackend_AndBothTrainTheSameRun()
    {
        async Task<TrainingHistory> Train(string engine)
        {
            var console = new TestConsole();
            string folder = Path.Combine(_folder, engine);
            int code = await Program.Run(new[] { "train", "--optimizer", "adam", "--steps", "20", "--batch-size", "64", "--eval-every", "10",
                "--threads", "1", "--engine", engine, "--out", folder }, console);
            Assert.Equal(0, code);
            Assert.Contains($"engine={engine}", console.Output);
            return TrainingHistory.FromJson(File.ReadAllText(Path.Combine(folder, "setting1-adam-seed0.history.json")));
        }
        TrainingHistory fast = await Train("fast"), torch = await Train("torchsharp");
        // Same data and initialisation; float32 arithmetic differs between the engines, so compare to a tolerance.
        for (int i = 0; i < fast.EvaluationLoss.Count; i++)
            Assert.Equal(fast.EvaluationLoss[i], torch.EvaluationLoss[i], 2e-3 * Math.Max(1, fast.EvaluationLoss[i]));
    }

    [Fact]
    public async Task Activation_Softmax_TrainsOnTheFastEngine_IntoItsOwnFiles()
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "train", "--optimizer", "adam", "--activation", "softmax", "--steps", "20", "--batch-size", "64",
            "--eval-every", "10", "--threads", "1", "--out", _folder }, console);
        Assert.Equal(0, code);
        Assert.Contains("scores=softmax", console.Output);
        Assert.Contains("engine=fast", console.Output);
        string json = Path.Combine(_folder, "setting1-softmax-adam-seed0.history.json");
        TrainingHistory history = TrainingHistory.FromJson(File.ReadAllText(json));
        Assert.Equal(new[] { 0, 10, 20 }, history.EvaluationSteps);
        using var spec = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "setting1-softmax-adam-seed0.spec.json")));
        Assert.Equal((int)ScoreActivation.Softmax, spec.RootElement.GetProperty("Model").GetProperty("Activation").GetInt32());
        Assert.False(File.Exists(Path.Combine(_folder, "setting1-adam-seed0.history.json")));
    }

    [Fact]
    public async Task Sampling_Moments_TrainsOnTheFastEngine_IntoItsOwnFiles()
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "train", "--optimizer", "adam", "--sampling", "moments", "--steps", "60", "--batch-size", "128",
            "--eval-every", "30", "--threads", "1", "--out", _folder }, console);
        Assert.Equal(0, code);
        Assert.Contains("sampling=moments", console.Output);
        Assert.Contains("engine=fast", console.Output);
        TrainingHistory history = TrainingHistory.FromJson(File.ReadAllText(Path.Combine(_folder, "setting1-moments-adam-seed0.history.json")));
        Assert.Equal(new[] { 0, 30, 60 }, history.EvaluationSteps);
        Assert.True(history.EvaluationLoss[^1] < 0.8 * history.EvaluationLoss[0], string.Join(", ", history.EvaluationLoss));
        Assert.False(File.Exists(Path.Combine(_folder, "setting1-adam-seed0.history.json")));
    }

    [Fact]
    public async Task DimensionAndContextLength_TrainTheLargerTask_IntoItsOwnFiles()
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "train", "--optimizer", "adam", "--dimension", "3", "--context-length", "7", "--layers", "2", "--max-skipped-steps", "5", "--steps", "40",
            "--batch-size", "64", "--eval-every", "20", "--threads", "1", "--out", _folder }, console);
        Assert.Equal(0, code);
        Assert.Contains("here with d = 3, n = 7", console.Output.Replace("\n", " "));
        string stem = Path.Combine(_folder, "setting1-d3-n7-adam-seed0");
        using var spec = System.Text.Json.JsonDocument.Parse(File.ReadAllText(stem + ".spec.json"));
        Assert.Equal(3, spec.RootElement.GetProperty("Task").GetProperty("Dimension").GetInt32());
        Assert.Equal(7, spec.RootElement.GetProperty("Task").GetProperty("ContextLength").GetInt32());
        Assert.Equal(3, spec.RootElement.GetProperty("Model").GetProperty("Dimension").GetInt32());
        Assert.Equal(5, spec.RootElement.GetProperty("Training").GetProperty("MaxSkippedSteps").GetInt32());
        TrainingHistory history = TrainingHistory.FromJson(File.ReadAllText(stem + ".history.json"));
        Assert.Equal(new[] { 0, 20, 40 }, history.EvaluationSteps);
        Assert.True(history.EvaluationLoss[^1] < history.EvaluationLoss[0], string.Join(", ", history.EvaluationLoss));
        Assert.False(File.Exists(Path.Combine(_folder, "setting1-adam-seed0.history.json")));
    }

    [Fact]
    public async Task Precision_Float64_TrainsInFloat64_IntoItsOwnFiles_AndFollowsTheFloat32Run()
    {
        async Task<TrainingHistory> Train(string precision, string stem)
        {
            var console = new TestConsole();
            int code = await Program.Run(new[] { "train", "--optimizer", "adam", "--precision", precision, "--steps", "40", "--batch-size", "64",
                "--eval-every", "20", "--threads", "1", "--out", _folder }, console);
            Assert.Equal(0, code);
            Assert.Contains($"precision={precision}", console.Output);
            using var spec = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, stem + ".spec.json")));
            Assert.Equal(precision == "float64" ? 1 : 0, spec.RootElement.GetProperty("Model").GetProperty("Precision").GetInt32());
            return TrainingHistory.FromJson(File.ReadAllText(Path.Combine(_folder, stem + ".history.json")));
        }
        TrainingHistory wide = await Train("float64", "setting1-float64-adam-seed0"), narrow = await Train("float32", "setting1-adam-seed0");
        // Same data and initialisation: the two runs differ by float32 rounding only (not bit for bit: another arithmetic).
        Assert.NotEqual(narrow.EvaluationLoss[^1], wide.EvaluationLoss[^1]);
        for (int i = 0; i < wide.EvaluationLoss.Count; i++)
            Assert.Equal(wide.EvaluationLoss[i], narrow.EvaluationLoss[i], 1e-3 * wide.EvaluationLoss[i]);
    }

    [Theory]
    [InlineData("--engine", "torchsharp", "Sampling Moments needs the fast engine")]
    [InlineData("--activation", "softmax", "Activation is Softmax")]
    public async Task Sampling_Moments_WhereItCannotRun_FailsBeforeTraining(string flag, string value, string expected)
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "train", "--sampling", "moments", flag, value, "--out", _folder }, console);
        Assert.Equal(2, code);
        Assert.Contains(expected, console.Output.Replace("\n", " "));
    }

    [Fact]
    public async Task EngineFast_OnADeviceItCannotUse_FailsBeforeTraining()
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "train", "--engine", "fast", "--device", "cuda", "--out", _folder }, console);
        Assert.Equal(2, code);
        Assert.Contains("Engine Fast computes linear, softmax and ReLU", console.Output);
        Assert.Contains("Device is 'cuda'", console.Output.Replace("\n", " "));
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
