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
    public async Task BadFlags_FailWithAMessageNamingTheProblem(string flag, string value, string expected)
    {
        var console = new TestConsole();
        int code = await Program.Run(Args(flag, value), console);
        Assert.Equal(2, code);
        Assert.Contains(expected, console.Output);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }
}
