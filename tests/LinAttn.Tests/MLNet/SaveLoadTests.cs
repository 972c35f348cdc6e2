using System.Diagnostics;
using System.Globalization;
using LinAttn.MLNet;
using LinAttn.MLNet.Persistence;
using LinAttn.Tests.TestKit;
using Microsoft.ML;

namespace LinAttn.Tests.MLNet;

/// <summary>The saved-model format: a fresh process loads and scores bit-identically with no registration call; truncated
/// zips, corrupt payloads and newer format versions fail with clear errors.</summary>
public sealed class SaveLoadTests : TorchTest, IClassFixture<TrainedModelFixture>
{
    private readonly TrainedModelFixture _fixture;

    public SaveLoadTests(TrainedModelFixture fixture) => _fixture = fixture;

    [Fact]
    public void FreshProcess_WithNoRegistrationCall_LoadsAndScoresBitIdentically()
    {
        string directory = Directory.CreateTempSubdirectory("linattn-fresh-").FullName;
        try
        {
            string modelPath = Path.Combine(directory, "model.zip"), promptsPath = Path.Combine(directory, "prompts.bin");
            _fixture.MLContext.Model.Save(_fixture.Model, _fixture.Train.Schema, modelPath);
            PromptRow[] rows = _fixture.TestRows[..25];
            using (var writer = new BinaryWriter(File.Create(promptsPath)))
            {
                writer.Write(rows.Length);
                writer.Write(TrainedModelFixture.FeatureCount);
                foreach (PromptRow row in rows) foreach (float v in row.Features) writer.Write(v);
            }
            float[] expected = PromptData.Scores(_fixture.Model.Transform(PromptData.ToDataView(_fixture.MLContext, rows, TrainedModelFixture.FeatureCount)));

            string[] lines = RunExample("score", modelPath, promptsPath);
            Assert.Equal("LinAttn.MLNet loaded before Model.Load: False", lines[0]);
            Assert.Equal(rows.Length, lines.Length - 1);
            for (int r = 0; r < rows.Length; r++)
            {
                string bits = BitConverter.SingleToInt32Bits(expected[r]).ToString("X8", CultureInfo.InvariantCulture);
                Assert.Equal($"{bits} {bits}", lines[r + 1]);       // batch Transform and PredictionEngine
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TruncatedZip_FailsToLoad_WithFormatException()
    {
        using var stream = new MemoryStream();
        _fixture.MLContext.Model.Save(_fixture.Model, _fixture.Train.Schema, stream);
        byte[] bytes = stream.ToArray();
        foreach (int length in new[] { 0, 100, bytes.Length / 2, bytes.Length - 30 })
        {
            var error = Record.Exception(() => new MLContext().Model.Load(new MemoryStream(bytes[..length]), out _));
            Assert.True(error is FormatException or InvalidDataException, $"cut at {length}: {error?.GetType()}: {error?.Message}");
        }
    }

    [Fact]
    public void NewerFormatVersion_IsRejected_WhenScoring_AndByFromTransformer()
    {
        ModelPayload payload = _fixture.Model.Model.Payload;
        ITransformer chain = ScoringChain.Create(payload.Serialize(formatVersion: 2), _fixture.Train, "Features", null, "Score");
        using var stream = new MemoryStream();
        _fixture.MLContext.Model.Save(chain, _fixture.Train.Schema, stream);
        stream.Position = 0;
        var ml = new MLContext();
        ITransformer loaded = ml.Model.Load(stream, out _);

        var typed = Assert.Throws<InvalidDataException>(() => LinearAttentionModel.FromTransformer(loaded));
        Assert.Contains("format version 2", typed.Message);
        Assert.Contains("reads format versions up to 1", typed.Message);
        var engine = ml.Model.CreatePredictionEngine<PromptInput, ScoreRow>(loaded, inputSchemaDefinition: PromptData.InputDefinition(TrainedModelFixture.FeatureCount));
        var scoring = Assert.Throws<InvalidDataException>(() => engine.Predict(new PromptInput { Features = _fixture.TestRows[0].Features }));
        Assert.Contains("format version 2", scoring.Message);
    }

    [Theory]
    [InlineData("sha256", "corrupt: the parameters do not match their SHA-256 checksum")]
    [InlineData("truncate", "corrupt or truncated")]
    [InlineData("count", "parameterCount is 149, but the architecture needs 150")]
    [InlineData("format", "format must be 'LinAttn.MLNet.LinearAttentionModel'")]
    public void CorruptPayload_IsRejected_WithInvalidDataException(string damage, string expected)
    {
        string text = _fixture.Model.Model.Payload.Serialize();
        string bad = damage switch
        {
            "sha256" => FlipOneParameterCharacter(text),
            "truncate" => text[..(text.Length / 2)],
            "count" => text.Replace("\"parameterCount\":150", "\"parameterCount\":149"),
            _ => text.Replace("LinAttn.MLNet.LinearAttentionModel", "Something.Else"),
        };
        Assert.NotEqual(text, bad);
        var error = Assert.Throws<InvalidDataException>(() => ModelPayload.Parse(bad));
        Assert.Contains(expected, error.Message);
    }

    // Changes one base64 character of the parameters: same length, different bytes.
    private static string FlipOneParameterCharacter(string text)
    {
        int at = text.IndexOf("\"parameters\":\"", StringComparison.Ordinal) + 20;
        return text[..at] + (text[at] == 'A' ? 'B' : 'A') + text[(at + 1)..];
    }

    [Fact]
    public void Payload_RoundTripsBitExactly()
    {
        ModelPayload payload = _fixture.Model.Model.Payload;
        ModelPayload copy = ModelPayload.Parse(payload.Serialize());
        Assert.Equal(payload.Parameters, copy.Parameters);
        Assert.Equal(payload.Model, copy.Model);
        Assert.Equal(payload.Shape, copy.Shape);
        Assert.Equal(payload.FeatureColumnName, copy.FeatureColumnName);
    }

    [Fact]
    public void FromTransformer_WithoutALinearAttentionModel_SaysSo()
    {
        ITransformer other = _fixture.MLContext.Transforms.CopyColumns("X", "Label").Fit(_fixture.Train);
        var error = Assert.Throws<ArgumentException>(() => LinearAttentionModel.FromTransformer(other));
        Assert.Contains("No LinAttn linear-attention model", error.Message);
    }

    // Runs the example's scoring mode with `dotnet <dll>`: a new process that only references LinAttn.MLNet on disk.
    private static string[] RunExample(params string[] arguments)
    {
        string testBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string framework = Path.GetFileName(testBin), configuration = Path.GetFileName(Path.GetDirectoryName(testBin)!);
        string root = testBin;
        while (!File.Exists(Path.Combine(root, "LinAttn.MLNet.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        string dll = Path.Combine(root, "examples", "MLNetQuickStart", "bin", configuration, framework, "MLNetQuickStart.dll");
        Assert.True(File.Exists(dll), $"build the example first: {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the scoring process did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {stderr.Result}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
