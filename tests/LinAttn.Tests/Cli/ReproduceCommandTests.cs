using System.Globalization;
using LinAttn.Cli;
using LinAttn.Diagnostics.Studies;
using LinAttn.Tests.TestKit;
using SkiaSharp;
using Spectre.Console.Testing;

namespace LinAttn.Tests.Cli;

/// <summary><c>linattn reproduce fig2</c> end to end at a tiny size: every file is produced and parses, and a rerun
/// with the same folder loads the finished units instead of recomputing them.</summary>
public sealed class ReproduceCommandTests : TorchTest, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "linattn-reproduce-" + Guid.NewGuid().ToString("N"));

    private static readonly string[] Csv =
    {
        "loss.csv", "loss-bands.csv", "runs.csv", "condition.csv", "condition-bands.csv", "condition-ratios.csv", "spectra.csv",
        "smoothness.csv", "smoothness-bands.csv", "noise.csv", "noise-summary.csv", "noise-histogram.csv", "noise-qq.csv", "claims.csv",
    };

    private static readonly string[] Png = { "fig2-loss.png", "fig2-noise.png", "fig2-condition.png", "fig2-smoothness.png" };

    [Fact]
    public async Task Fig2_Tiny_WritesEveryFile_AndResumes()
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "reproduce", "fig2", "--tiny", "--threads", "1", "--out", _folder }, console);
        Assert.True(code is 0 or 3, $"exit code {code}: {console.Output}");   // 3: a required claim failed (expected at this size)
        string fig2 = Path.Combine(_folder, "fig2");

        foreach (string file in Csv)
        {
            List<string[]> rows = ReadCsv(Path.Combine(fig2, file));
            Assert.True(rows.Count >= 2, $"{file} has no data rows");
            Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        }
        // Numeric columns parse as numbers (or are empty for missing values).
        foreach (var (file, column) in new[] { ("loss.csv", "eval_loss"), ("noise.csv", "norm"), ("condition.csv", "r_med_diagonal"), ("smoothness.csv", "directional_smoothness") })
        {
            List<string[]> rows = ReadCsv(Path.Combine(fig2, file));
            int c = Array.IndexOf(rows[0], column);
            Assert.True(c >= 0, $"{file} lacks {column}");
            Assert.All(rows.Skip(1), r => Assert.True(r[c] == "" || double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{file}: '{r[c]}'"));
        }
        Assert.Equal(2 * 2 * 3 * 5, ReadCsv(Path.Combine(fig2, "loss.csv")).Count - 1);   // 3 settings × 2 optimizers × 2 seeds × steps 0,10,20,30,40
        Assert.Equal(3 * 30, ReadCsv(Path.Combine(fig2, "noise.csv")).Count - 1);

        foreach (string file in Png)
        {
            using SKBitmap? image = SKBitmap.Decode(Path.Combine(fig2, file));
            Assert.NotNull(image);
            Assert.True(image!.Width >= 900 && image.Height >= 300, $"{file} is {image.Width}×{image.Height}");
        }

        string markdown = File.ReadAllText(Path.Combine(fig2, "report.md"));
        Assert.Contains("| claim | verdict | ours | paper |", markdown);
        Assert.Contains("1.76 (0.40)", markdown);                          // the paper's number beside ours
        Assert.Matches(@"\*\*(PASS|FAIL)\*\*", markdown);
        foreach (string file in Png) Assert.Contains($"]({file})", markdown);
        string html = File.ReadAllText(Path.Combine(fig2, "report.html"));
        Assert.Equal(Png.Length, CountOf(html, "src=\"data:image/png;base64,"));

        string[] units = Directory.GetFiles(Path.Combine(fig2, "units"), "*.json");
        Assert.Equal(15, units.Length);                                    // 3 × (noise + 2 optimizers × 2 seeds)
        Assert.All(units.Where(u => !u.EndsWith("-noise.json")), u => Assert.NotNull(LinAttn.Diagnostics.Studies.TrajectoryResult.FromJson(
            System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(u))!["result"]!.ToJsonString())));

        // A rerun resumes: every unit is loaded and the tables are identical. It uses an interactive console, so the
        // progress bar with ETA is drawn too.
        string loss = File.ReadAllText(Path.Combine(fig2, "loss.csv"));
        var again = new TestConsole().Interactive();
        Assert.Equal(code, await Program.Run(new[] { "reproduce", "fig2", "--tiny", "--threads", "1", "--out", _folder }, again));
        Assert.Equal(15, CountOf(again.Output, "loaded (finished earlier)"));
        Assert.Equal(loss, File.ReadAllText(Path.Combine(fig2, "loss.csv")));
    }

    [Fact]
    public async Task NoisePrecision_Float64_ComputesAndReportsTheNoiseInFloat64()
    {
        var single = new TestConsole();
        string a = Path.Combine(_folder, "a"), b = Path.Combine(_folder, "b");
        int code = await Program.Run(new[] { "reproduce", "fig5", "--tiny", "--threads", "1", "--out", a }, single);
        Assert.True(code is 0 or 3, single.Output);
        var dual = new TestConsole();
        Assert.Equal(code, await Program.Run(new[] { "reproduce", "fig5", "--tiny", "--threads", "1", "--noise-precision", "Float64", "--out", b }, dual));

        NoiseStudyResult Noise(string folder) => NoiseStudyResult.FromJson(System.Text.Json.Nodes.JsonNode.Parse(
            File.ReadAllText(Directory.GetFiles(Path.Combine(folder, "fig5", "units"), "*-noise.json").Single()))!["result"]!.ToJsonString());
        NoiseStudyResult n32 = Noise(a), n64 = Noise(b);
        Assert.Equal(LinAttn.Model.Precision.Float32, n32.Options.Precision);
        Assert.Equal(LinAttn.Model.Precision.Float64, n64.Options.Precision);
        Assert.NotEqual(n32.Norms, n64.Norms);
        Assert.True(Numerics.MaxRelativeError(n32.Norms, n64.Norms) < 1e-4);
        Assert.Contains("float32 gradients, as the authors' code", File.ReadAllText(Path.Combine(a, "fig5", "report.md")));
        Assert.Contains("float64 gradients", File.ReadAllText(Path.Combine(b, "fig5", "report.md")));
        Assert.Equal(File.ReadAllText(Path.Combine(a, "fig5", "loss.csv")), File.ReadAllText(Path.Combine(b, "fig5", "loss.csv")));
    }

    [Fact]
    public void Plan_WeighsFloat64NoiseTwiceFloat32_AndLeavesRunsAlone()
    {
        var recipe = LinAttn.Cli.Reproduction.Recipes.RecipeCatalog.Resolve("fig5").Single();
        var single = recipe.Plan(LinAttn.Cli.Reproduction.ReproductionProfile.Quick, 1, LinAttn.Model.Precision.Float32);
        var dual = recipe.Plan(LinAttn.Cli.Reproduction.ReproductionProfile.Quick, 1, LinAttn.Model.Precision.Float64);
        string noise = single.Units.Keys.Single(k => k.EndsWith("-noise"));
        Assert.Equal(2 * single.Units[noise].Sum(), dual.Units[noise].Sum(), 9);
        Assert.Equal(single.Total - single.Units[noise].Sum(), dual.Total - dual.Units[noise].Sum(), 9);
    }

    [Theory]
    [InlineData("fig3", "Known targets")]
    [InlineData("fig2 --threads 0", "--threads must be positive")]
    [InlineData("fig2 --noise-precision half", "--noise-precision 'half' is not known")]
    [InlineData("fig2 --noise-precision 1", "--noise-precision '1' is not known")]
    public async Task BadArguments_FailWithAMessage(string arguments, string expected)
    {
        var console = new TestConsole();
        int code = await Program.Run(new[] { "reproduce" }.Concat(arguments.Split(' ')).Append("--out").Append(_folder).ToArray(), console);
        Assert.Equal(2, code);
        Assert.Contains(expected, console.Output);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    // RFC 4180: quoted fields may hold commas and doubled quotes.
    private static List<string[]> ReadCsv(string path)
    {
        var rows = new List<string[]>();
        foreach (string line in File.ReadAllLines(path))
        {
            var cells = new List<string>();
            var cell = new System.Text.StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char ch = line[i];
                if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = !quoted;
                else if (ch == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
                else cell.Append(ch);
            }
            cells.Add(cell.ToString());
            rows.Add(cells.ToArray());
        }
        return rows;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }
}
