using LinAttn.Cli;
using LinAttn.Tests.TestKit;
using Spectre.Console.Testing;

namespace LinAttn.Tests.Cli;

public sealed class TuneCommandTests : TorchTest, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "linattn-tune-" + Guid.NewGuid().ToString("N"));

    private string[] Args(params string[] extra)
    {
        var flags = new Dictionary<string, string>
        {
            ["--preset"] = "setting1", ["--steps"] = "90", ["--batch-size"] = "64", ["--confirm-seeds"] = "2", ["--parallel"] = "2", ["--seed"] = "1", ["--out"] = _folder,
        };
        for (int i = 0; i + 1 < extra.Length; i += 2) flags[extra[i]] = extra[i + 1];
        return new[] { "tune" }.Concat(flags.SelectMany(kv => new[] { kv.Key, kv.Value })).ToArray();
    }

    [Fact]
    public async Task Tune_WritesReportPlotsAndTables_AndAResumedRunGivesTheSameTable()
    {
        var console = new TestConsole();
        int code = await Program.Run(Args(), console);
        Assert.True(code == 0, console.Output);
        Assert.Contains("ranking:", console.Output);
        Assert.Contains("Probe", console.Output);
        foreach (string file in new[] { "report.md", "trials.csv", "trials.json", "loss-vs-lr-sgdm.png", "loss-vs-lr-adam.png", "best-so-far.png", "study.db" })
            Assert.True(File.Exists(Path.Combine(_folder, file)), $"{file} is missing");
        string report = File.ReadAllText(Path.Combine(_folder, "report.md"));
        Assert.Contains("| rank | optimizer | best lr", report);
        Assert.Contains("Rung agreement", report);
        byte[] png = File.ReadAllBytes(Path.Combine(_folder, "best-so-far.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png.Take(4));

        string csv = File.ReadAllText(Path.Combine(_folder, "trials.csv"));
        int again = await Program.Run(Args(), new TestConsole());
        Assert.Equal(0, again);
        Assert.Equal(csv, File.ReadAllText(Path.Combine(_folder, "trials.csv")));   // the CSV holds no wall time
    }

    [Theory]
    [InlineData("--tuner", "hyperband", "--tuner 'hyperband' is not known")]
    [InlineData("--optimizer", "lion", "--optimizer 'lion' is not known")]
    [InlineData("--steps", "5", "smallest rung")]
    [InlineData("--budget", "3", "--budget")]
    [InlineData("--sampling", "exact", "--sampling 'exact' is not known")]
    [InlineData("--dimension", "0", "--dimension: Dimension must be positive")]
    [InlineData("--max-skipped-steps", "-1", "--max-skipped-steps: MaxSkippedSteps must be")]
    [InlineData("--divergence-ratio", "1", "--divergence-ratio: ratio must be > 1")]
    [InlineData("--preset", "setting3", "Sampling Moments needs a Gaussian linear task")]   // with --sampling moments below
    public async Task BadFlags_FailWithAMessageNamingTheProblem(string flag, string value, string expected)
    {
        var console = new TestConsole();
        int code = await Program.Run(flag == "--preset" ? Args(flag, value, "--sampling", "moments") : Args(flag, value), console);
        Assert.Equal(2, code);
        Assert.Contains(expected, System.Text.RegularExpressions.Regex.Replace(console.Output, @"\s+", " "));
    }

    [Fact]
    public async Task Sampling_Moments_TunesOnMoments_AndTheStudyRemembersIt()
    {
        var console = new TestConsole();
        int code = await Program.Run(Args("--sampling", "moments", "--confirm-seeds", "0"), console);
        Assert.True(code == 0, console.Output);
        string csv = File.ReadAllText(Path.Combine(_folder, "trials.csv"));
        // Resuming with tokens is a conflict with the stored recipe, named by its flag.
        var conflict = new TestConsole();
        Assert.Equal(2, await Program.Run(Args("--sampling", "tokens", "--confirm-seeds", "0"), conflict));
        Assert.Contains("--sampling tokens (the study has moments)", System.Text.RegularExpressions.Regex.Replace(conflict.Output, @"\s+", " "));
        // The same search on tokens gives another table (other training data).
        string tokens = Path.Combine(_folder, "tokens");
        Assert.Equal(0, await Program.Run(Args("--confirm-seeds", "0", "--out", tokens), new TestConsole()));
        Assert.NotEqual(csv, File.ReadAllText(Path.Combine(tokens, "trials.csv")));
    }

    // A recipe as the first format stored it, before --sampling, --dimension, --context-length, --max-skipped-steps and
    // --divergence-ratio existed.
    private static LinAttn.Cli.Commands.TuneRecipe FirstFormatRecipe(string preset)
        => LinAttn.Cli.Commands.TuneRecipe.FromJson("{\"LinattnTuneRecipe\":1,\"Recipe\":{\"Preset\":\"" + preset + "\",\"Optimizers\":\"adam\",\"Steps\":90," +
            "\"Budget\":null,\"Tuner\":\"default\",\"GridPoints\":10,\"ConfirmSeeds\":0,\"Seed\":1,\"Layers\":3,\"BatchSize\":64}}", "old")!;

    [Fact]
    public void RecipeStoredBeforeSamplingExisted_ReadsBackAsTokens()
    {
        LinAttn.Cli.Commands.TuneRecipe recipe = FirstFormatRecipe("setting1");
        Assert.Equal("tokens", recipe.Sampling);
        Assert.Equal(LinAttn.Training.PromptSampling.Tokens, recipe.Build().BaseSpec.Training.Sampling);
        LinAttn.Cli.Commands.TuneRecipe moments = recipe with { Sampling = "moments" };
        Assert.Equal(LinAttn.Training.PromptSampling.Moments, LinAttn.Cli.Commands.TuneRecipe.FromJson(moments.ToJson(), "new")!.Build().BaseSpec.Training.Sampling);
    }

    [Fact]
    public void RecipeStoredBeforeDimensionExisted_ReadsBackAsThePresetsTask_AndANewOneKeepsItsOwn()
    {
        LinAttn.Cli.Commands.TuneRecipe recipe = FirstFormatRecipe("setting2");
        Assert.Null(recipe.Dimension);
        LinAttn.Training.RunSpec old = recipe.Build().BaseSpec;
        Assert.Equal((5, 5, 5), (old.Task.Dimension, old.Task.ContextLength, old.Model.Dimension));   // setting2: d = 5, n = 5
        LinAttn.Cli.Commands.TuneRecipe larger = recipe with { Dimension = 7, ContextLength = 11 };
        LinAttn.Training.RunSpec spec = LinAttn.Cli.Commands.TuneRecipe.FromJson(larger.ToJson(), "new")!.Build().BaseSpec;
        Assert.Equal((7, 11, 7), (spec.Task.Dimension, spec.Task.ContextLength, spec.Model.Dimension));
        Assert.Contains("here with d = 7, n = 11", larger.Title);
        Assert.DoesNotContain("here with", recipe.Title);
    }

    [Fact]
    public void RecipeStoredBeforeSkippingAndRatioExisted_ReadsBackAsWhatItRan_AndANewOneKeepsItsOwn()
    {
        LinAttn.Cli.Commands.TuneRecipe recipe = FirstFormatRecipe("setting1");
        Assert.Null(recipe.MaxSkippedSteps);
        LinAttn.AutoML.AutoMLExperiment old = recipe.Build();
        Assert.Equal((0, 10.0), (old.BaseSpec.Training.MaxSkippedSteps, old.DivergenceLossRatio));   // what such studies ran
        LinAttn.Cli.Commands.TuneRecipe newer = recipe with { MaxSkippedSteps = 4, DivergenceRatio = 0 };
        LinAttn.AutoML.AutoMLExperiment built = LinAttn.Cli.Commands.TuneRecipe.FromJson(newer.ToJson(), "new")!.Build();
        Assert.Equal(4, built.BaseSpec.Training.MaxSkippedSteps);
        Assert.Null(built.DivergenceLossRatio);   // 0: the rule is off
        Assert.Equal(50.0, (recipe with { DivergenceRatio = 50 }).Build().DivergenceLossRatio);
    }

    [Fact]
    public async Task MaxSkippedSteps_IsPartOfTheStoredRecipe()
    {
        var console = new TestConsole();
        int code = await Program.Run(Args("--optimizer", "adam", "--confirm-seeds", "0", "--max-skipped-steps", "2"), console);
        Assert.True(code == 0, console.Output);
        var conflict = new TestConsole();
        Assert.Equal(2, await Program.Run(Args("--optimizer", "adam", "--confirm-seeds", "0", "--max-skipped-steps", "3"), conflict));
        Assert.Contains("--max-skipped-steps 3 (the study has 2)", System.Text.RegularExpressions.Regex.Replace(conflict.Output, @"\s+", " "));
    }

    [Fact]
    public async Task Dimension_IsPartOfTheStoredRecipe()
    {
        var console = new TestConsole();
        int code = await Program.Run(Args("--dimension", "3", "--context-length", "6", "--optimizer", "adam", "--confirm-seeds", "0"), console);
        Assert.True(code == 0, console.Output);
        Assert.Contains("here with d = 3, n = 6", System.Text.RegularExpressions.Regex.Replace(console.Output, @"\s+", " "));
        var conflict = new TestConsole();
        Assert.Equal(2, await Program.Run(Args("--dimension", "4", "--context-length", "6", "--optimizer", "adam", "--confirm-seeds", "0"), conflict));
        Assert.Contains("--dimension 4 (the study has 3)", System.Text.RegularExpressions.Regex.Replace(conflict.Output, @"\s+", " "));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }
}
