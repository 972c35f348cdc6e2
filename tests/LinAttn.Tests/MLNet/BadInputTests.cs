using LinAttn.MLNet;
using LinAttn.Tests.TestKit;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.Tests.MLNet;

/// <summary>Every bad input of the issue is rejected early, with ML.NET's exception type and a message naming the column
/// or option, what was expected and what was found.</summary>
public sealed class BadInputTests : TorchTest, IClassFixture<TrainedModelFixture>
{
    private readonly TrainedModelFixture _fixture;
    private readonly MLContext _ml = new(seed: 2);

    public BadInputTests(TrainedModelFixture fixture) => _fixture = fixture;

    private sealed class DoubleLabelRow
    {
        [VectorType(TrainedModelFixture.FeatureCount)] public float[] Features = new float[TrainedModelFixture.FeatureCount];
        public double Label = 1;
    }

    private sealed class ScalarFeatureRow
    {
        public float Features = 1;
        public float Label = 1;
    }

    private sealed class VariableFeatureRow
    {
        public float[] Features = new float[3];
        public float Label = 1;
    }

    private sealed class DoubleFeatureRow
    {
        [VectorType(TrainedModelFixture.FeatureCount)] public double[] Features = new double[TrainedModelFixture.FeatureCount];
        public float Label = 1;
    }

    private static LinearAttentionRegressionTrainer.Options Quick() => new() { Dimension = 5, NumberOfSteps = 2, BatchSize = 8, NumberOfThreads = 1 };

    // Checks the exception both when the pipeline asks for the output schema (before any row flows) and when fitting.
    private ArgumentOutOfRangeException SchemaError(IDataView data, LinearAttentionRegressionTrainer.Options options, params string[] fragments)
    {
        LinearAttentionRegressionTrainer trainer = _ml.Regression.Trainers.LinearAttention(options);
        var early = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(PromptData.ShapeOf(data.Schema)));
        var atFit = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        foreach (string fragment in fragments) Assert.Contains(fragment, atFit.Message);
        return early;
    }

    [Fact]
    public void MissingFeatureColumn_IsRejected_InGetOutputSchema()
    {
        var options = Quick();
        options.FeatureColumnName = "Prompt";
        var error = SchemaError(_fixture.Train, options, "Could not find feature column 'Prompt'");
        Assert.Contains("'Prompt'", error.Message);
        IDataView withoutFeatures = _ml.Transforms.DropColumns("Features").Fit(_fixture.Train).Transform(_fixture.Train);
        Assert.Contains("Could not find feature column 'Features'",
            Assert.Throws<ArgumentOutOfRangeException>(() => _fixture.Model.Transform(withoutFeatures)).Message);
    }

    [Fact]
    public void MissingLabelColumn_IsRejected()
    {
        var options = Quick();
        options.LabelColumnName = "Target";
        SchemaError(_fixture.Train, options, "Could not find label column 'Target'");
    }

    [Fact]
    public void WrongFeatureTypes_AreRejected_NamingExpectedAndFound()
    {
        SchemaError(_ml.Data.LoadFromEnumerable(new[] { new ScalarFeatureRow() }), Quick(), "feature column 'Features'", "expected known-size vector of Single", "got Single");
        SchemaError(_ml.Data.LoadFromEnumerable(new[] { new VariableFeatureRow() }), Quick(), "expected known-size vector of Single", "got Vector<Single>");
        SchemaError(_ml.Data.LoadFromEnumerable(new[] { new DoubleFeatureRow() }), Quick(), "expected known-size vector of Single, got Vector<Double, 125>.");
    }

    [Fact]
    public void LabelNotSingle_IsRejected()
        => SchemaError(_ml.Data.LoadFromEnumerable(new[] { new DoubleLabelRow() }), Quick(), "label column 'Label'", "expected Single", "got Double");

    [Fact]
    public void VectorSizeNotMatchingTheLayout_IsRejected_AtFit_AndByTheTransformer()
    {
        PromptRow[] rows = PromptData.Rows(4, 1).Select(r => new PromptRow { Features = r.Features[..124], Label = r.Label }).ToArray();
        IDataView data = PromptData.ToDataView(_ml, rows, 124);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.LinearAttention(Quick()).Fit(data));
        Assert.Equal("Feature column 'Features' has 124 values, but a prompt with d = 5 must have n(d+1)+d values for some n ≥ 1 " +
            "(11 for n = 1, 17 for n = 2, 65 for n = 10, 125 for n = 20, ...). Check Dimension and the columns concatenated into 'Features'. (Parameter 'inputSchema')",
            error.Message);

        var withN = Quick();
        withN.ContextLength = 19;
        error = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.LinearAttention(withN).Fit(_fixture.Train));
        Assert.Contains("n = 19, d = 5 need n(d+1)+d = 119", error.Message);

        IDataView wider = PromptData.ToDataView(_ml, PromptData.Rows(4, 2, new LinAttn.Tasks.TaskOptions { Dimension = 5, ContextLength = 21 }), 131);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => _fixture.Model.Transform(wider));
        Assert.Contains("trained on prompts of 125 = n(d+1)+d values (n = 20, d = 5", error.Message);
    }

    [Fact]
    public void NeitherDimensionNorContextLength_IsRejected_ListingTheCandidates()
    {
        var options = Quick();
        options.Dimension = null;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.LinearAttention(options).Fit(_fixture.Train));
        Assert.Equal("Dimension", error.ParamName);
        Assert.StartsWith("Set Dimension (d) or ContextLength (n): a prompt of 125 values in column 'Features' fits (d = 1, n = 62), (d = 2, n = 41), (d = 5, n = 20)", error.Message);
    }

    [Theory]
    [InlineData(float.NaN, false, "Training row 3 (0-based): column 'Features' holds NaN at index 13 (x[2] of context pair 3)")]
    [InlineData(float.PositiveInfinity, false, "column 'Features' holds ∞ at index 13")]
    [InlineData(float.NaN, true, "Training row 3 (0-based): column 'Label' holds NaN")]
    public void NonFiniteValues_InFit_NameTheRow(float bad, bool inLabel, string expected)
    {
        PromptRow[] rows = PromptData.Rows(10, 3);
        if (inLabel) rows[3].Label = bad;
        else rows[3].Features[13] = bad;
        var error = Assert.Throws<InvalidOperationException>(() =>
            _ml.Regression.Trainers.LinearAttention(Quick()).Fit(PromptData.ToDataView(_ml, rows, TrainedModelFixture.FeatureCount)));
        Assert.Contains(expected.Replace("∞", float.PositiveInfinity.ToString()), error.Message);
    }

    [Fact]
    public void NonFiniteValue_BeyondTheMonitorBatch_IsFoundWhileStreaming()
    {
        PromptRow[] rows = PromptData.Rows(1100, 4);
        rows[1050].Features[0] = float.NaN;
        var options = Quick();
        options.NumberOfSteps = 10;
        options.BatchSize = 200;
        var error = Assert.Throws<InvalidOperationException>(() =>
            _ml.Regression.Trainers.LinearAttention(options).Fit(PromptData.ToDataView(_ml, rows, TrainedModelFixture.FeatureCount)));
        Assert.Contains("Training row 1050 (0-based)", error.Message);
    }

    [Fact]
    public void EmptyTrainingData_IsRejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            _ml.Regression.Trainers.LinearAttention(Quick()).Fit(PromptData.ToDataView(_ml, Array.Empty<PromptRow>(), TrainedModelFixture.FeatureCount)));
        Assert.Contains("no rows", error.Message);
        Assert.Contains("'Features'", error.Message);
    }

    [Fact]
    public void InvalidContextLengths_InFit_NameTheRow()
    {
        PromptRow[] rows = PromptData.Rows(6, 5);
        rows[2].ContextLength = 21;
        var options = Quick();
        options.ContextLengthColumnName = nameof(PromptRow.ContextLength);
        var error = Assert.Throws<InvalidOperationException>(() =>
            _ml.Regression.Trainers.LinearAttention(options).Fit(PromptData.ToDataView(_ml, rows, TrainedModelFixture.FeatureCount)));
        Assert.Contains("Training row 2 (0-based): column 'ContextLength' holds 21", error.Message);
        Assert.Contains("[1, 20]", error.Message);
        options.ContextLengthColumnName = "Missing";
        SchemaError(_fixture.Train, options, "Could not find context length column 'Missing'");
        IDataView textLength = _ml.Transforms.Conversion.ConvertType("N", "Label", Microsoft.ML.Data.DataKind.String).Fit(_fixture.Train).Transform(_fixture.Train);
        options.ContextLengthColumnName = "N";
        SchemaError(textLength, options, "Schema mismatch for context length column 'N': expected numeric scalar (e.g. Single or Int32), got String.");
    }

    public static TheoryData<string, Action<LinearAttentionRegressionTrainer.Options>> BadOptions => new()
    {
        { "NumberOfLayers", o => o.NumberOfLayers = 0 },
        { "NumberOfHeads", o => o.NumberOfHeads = -1 },
        { "LearningRate", o => o.LearningRate = 0 },
        { "LearningRate", o => o.LearningRate = double.NaN },
        { "Beta2", o => o.Beta2 = 1 },
        { "Momentum", o => o.Momentum = -0.1 },
        { "BatchSize", o => o.BatchSize = 0 },
        { "NumberOfEpochs", o => o.NumberOfEpochs = 0 },
        { "NumberOfSteps", o => o.NumberOfSteps = 0 },
        { "GradientClipThreshold", o => o.GradientClipThreshold = -1 },
        { "MaximumSkippedSteps", o => o.MaximumSkippedSteps = -1 },
        { "Dimension", o => o.Dimension = 0 },
        { "ContextLength", o => o.ContextLength = -3 },
        { "PretrainingSteps", o => o.PretrainingSteps = -1 },
        { "PretrainingSampling", o => o.PretrainingSampling = (LinAttn.Training.PromptSampling)5 },
        { "InitialWeightStandardDeviation", o => o.InitialWeightStandardDeviation = -0.1 },
        { "Seed", o => o.Seed = -1 },
        { "NumberOfThreads", o => o.NumberOfThreads = 0 },
        { "ProgressInterval", o => o.ProgressInterval = 0 },
        { "FeatureColumnName", o => o.FeatureColumnName = "" },
        { "Parametrization", o => o.Parametrization = (LinAttn.Model.Parametrization)7 },
        { "Schedule", o => o.Schedule = new LinAttn.Training.LearningRateSchedule { Kind = LinAttn.Training.ScheduleKind.Cosine, WarmupFraction = 2 } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void OptionsOutOfRange_AreRejected_WhenTheTrainerIsCreated(string option, Action<LinearAttentionRegressionTrainer.Options> spoil)
    {
        var options = Quick();
        spoil(options);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.LinearAttention(options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message);
        Assert.Contains("but was", error.Message);
    }

    [Fact]
    public void SimpleOverload_ValidatesToo()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.LinearAttention(numberOfLayers: 0));
        Assert.Equal("NumberOfLayers", error.ParamName);
        Assert.Throws<ArgumentNullException>(() => _ml.Regression.Trainers.LinearAttention(null!));
    }

    [Fact]
    public void PredictionEngine_WithAWrongSizedArray_NamesTheColumnAndSizes()
    {
        var engine = _ml.Model.CreatePredictionEngine<PromptInput, ScoreRow>(_fixture.Model,
            inputSchemaDefinition: PromptData.InputDefinition(TrainedModelFixture.FeatureCount));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => engine.Predict(new PromptInput { Features = new float[7] }));
        Assert.Equal("Features", error.ParamName);
        Assert.Contains("125 = n(d+1)+d values", error.Message);
        Assert.Contains("but held 7", error.Message);
    }
}
