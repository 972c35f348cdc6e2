using LinAttn.MLNet;
using LinAttn.Tests.TestKit;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace LinAttn.Tests.MLNet;

/// <summary>The estimator workout in the style of ML.NET's TestEstimatorCore: schema propagation, transform, save/load,
/// PredictionEngine, evaluation and chaining with ML.NET's own transforms.</summary>
public sealed class EstimatorWorkoutTests : TorchTest, IClassFixture<TrainedModelFixture>
{
    private readonly TrainedModelFixture _fixture;

    public EstimatorWorkoutTests(TrainedModelFixture fixture) => _fixture = fixture;

    [Fact]
    public void EstimatorAndTransformerOutputSchemas_Agree()
    {
        SchemaShape fromEstimator = _fixture.Estimator.GetOutputSchema(PromptData.ShapeOf(_fixture.Train.Schema));
        DataViewSchema fromTransformer = _fixture.Model.GetOutputSchema(_fixture.Train.Schema);
        IDataView transformed = _fixture.Model.Transform(_fixture.Train);
        Assert.Equal(fromTransformer.Select(c => c.Name), transformed.Schema.Select(c => c.Name));
        Assert.Equal(new[] { "Features", "Label", "ContextLength", "Score" }, fromTransformer.Select(c => c.Name));
        Assert.Equal(fromTransformer.Select(c => c.Name), fromEstimator.Select(c => c.Name));
        foreach (DataViewSchema.Column column in fromTransformer)
        {
            SchemaShape.Column shape = fromEstimator.Single(c => c.Name == column.Name);
            Assert.Equal(column.Type is VectorDataViewType vector ? vector.ItemType : column.Type, shape.ItemType);
            Assert.Equal(column.Type is VectorDataViewType, shape.Kind != SchemaShape.Column.VectorKind.Scalar);
        }
        Assert.Equal(NumberDataViewType.Single, fromTransformer["Score"].Type);
    }

    [Fact]
    public void SaveAndLoad_InANewMLContext_GiveIdenticalScores_AndTheTypedModel()
    {
        float[] before = PromptData.Scores(_fixture.Model.Transform(_fixture.Test));
        string path = Path.Combine(Path.GetTempPath(), $"linattn-workout-{Guid.NewGuid():N}.zip");
        try
        {
            _fixture.MLContext.Model.Save(_fixture.Model, _fixture.Train.Schema, path);
            var fresh = new MLContext(seed: 99);
            ITransformer loaded = fresh.Model.Load(path, out DataViewSchema inputSchema);
            Assert.Equal(_fixture.Train.Schema.Select(c => c.Name), inputSchema.Select(c => c.Name));
            IDataView test = PromptData.ToDataView(fresh, _fixture.TestRows, TrainedModelFixture.FeatureCount);
            float[] after = PromptData.Scores(loaded.Transform(test));
            Assert.Equal(before, after);                 // bit-identical
            Assert.Equal(_fixture.Model.GetOutputSchema(test.Schema).Select(c => c.Name), loaded.GetOutputSchema(test.Schema).Select(c => c.Name));

            LinearAttentionModel typed = LinearAttentionModel.FromTransformer(loaded);
            Assert.Equal(_fixture.Model.Model.GetParameters(), typed.GetParameters());
            Assert.Equal(_fixture.Model.Model.Architecture, typed.Architecture);
            Assert.Equal(20, typed.ContextLength);
            Assert.Equal(PromptLayout.Interleaved, typed.Layout);
            Assert.Equal(1, typed.FormatVersion);
            using var module = typed.CreateModule();
            Assert.Equal(typed.Architecture.ParameterShape, module.Weights.shape);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PredictionEngine_EqualsBatchTransform()
    {
        float[] batch = PromptData.Scores(_fixture.Model.Transform(_fixture.Test));
        var engine = _fixture.MLContext.Model.CreatePredictionEngine<PromptInput, ScoreRow>(_fixture.Model,
            inputSchemaDefinition: PromptData.InputDefinition(TrainedModelFixture.FeatureCount));
        float[] single = _fixture.TestRows.Select(r => engine.Predict(new PromptInput { Features = r.Features }).Score).ToArray();
        Assert.Equal(batch, single);
        Assert.Equal(batch[0], _fixture.Model.Model.Predict(_fixture.TestRows[0].Features));
    }

    [Fact]
    public void RegressionEvaluate_ReadsTheScoreColumn()
    {
        RegressionMetrics metrics = _fixture.MLContext.Regression.Evaluate(_fixture.Model.Transform(_fixture.Test));
        Assert.True(metrics.RSquared > 0.3, $"R² {metrics.RSquared} after 150 steps");   // learns something; the strong check is in TrainingTests
        Assert.True(double.IsFinite(metrics.RootMeanSquaredError));
    }

    [Fact]
    public void ChainsWithMLNetTransforms_BeforeAndAfter_AndSavesAsOneChain()
    {
        MLContext ml = _fixture.MLContext;
        var options = TrainedModelFixture.Options();
        options.FeatureColumnName = "Prompt";
        options.ScoreColumnName = "Predicted";
        options.NumberOfSteps = 5;
        var pipeline = ml.Transforms.CopyColumns("Prompt", "Features")
            .Append(ml.Transforms.NormalizeMinMax("Prompt", fixZero: true))
            .Append(ml.Regression.Trainers.LinearAttention(options))
            .Append(ml.Transforms.CopyColumns("Score", "Predicted"));
        TransformerChain<ColumnCopyingTransformer> model = pipeline.Fit(_fixture.Train);
        float[] scores = PromptData.Scores(model.Transform(_fixture.Test));
        Assert.Equal(scores, PromptData.Scores(model.Transform(_fixture.Test), "Predicted"));
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));

        using var stream = new MemoryStream();
        ml.Model.Save(model, _fixture.Train.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = new MLContext(seed: 5).Model.Load(stream, out _);
        Assert.Equal(scores, PromptData.Scores(loaded.Transform(_fixture.Test)));
        Assert.Equal(5, LinearAttentionModel.FromTransformer(loaded).Dimension);
    }
}
