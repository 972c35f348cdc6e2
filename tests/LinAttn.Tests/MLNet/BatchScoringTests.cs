using LinAttn.MLNet;
using LinAttn.Tests.TestKit;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.Tests.MLNet;

/// <summary>The fitted transformer scores blocks of rows with the fast engine; its scores must equal the saved per-row
/// chain's exactly, with every other column still on its own row.</summary>
public sealed class BatchScoringTests : TorchTest, IClassFixture<TrainedModelFixture>
{
    private readonly TrainedModelFixture _fixture;

    public BatchScoringTests(TrainedModelFixture fixture) => _fixture = fixture;

    [Fact]
    public void BatchedTransform_EqualsPerRowScores_AcrossBlockBoundaries()
    {
        MLContext ml = _fixture.MLContext;
        PromptRow[] rows = PromptData.Rows(600, seed: 41);                 // 2 full blocks of 256 and a partial one
        IDataView data = PromptData.ToDataView(ml, rows, TrainedModelFixture.FeatureCount);
        IDataView scored = _fixture.Model.Transform(data);
        float[] batched = PromptData.Scores(scored);
        float[] labels = scored.GetColumn<float>("Label").ToArray();

        var engine = ml.Model.CreatePredictionEngine<PromptRow, ScoredRow>(_fixture.Model, inputSchemaDefinition: PromptData.InputDefinition(TrainedModelFixture.FeatureCount));
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Label, labels[i]);                      // pass-through columns stay aligned
            Assert.Equal(engine.Predict(rows[i]).Score, batched[i]);     // bit-identical to the per-row chain
        }
        Assert.Equal(batched, PromptData.Scores(_fixture.Model.Transform(data)));   // a second pass reads the same
    }

    [Theory]
    [InlineData(LinAttn.Model.ScoreActivation.Softmax)]
    [InlineData(LinAttn.Model.ScoreActivation.Relu)]
    public void SoftmaxAndReluModels_AreBatched_AndEqualThePerRowChain(LinAttn.Model.ScoreActivation activation)
    {
        var ml = new MLContext(seed: 2);
        LinearAttentionRegressionTrainer.Options options = TrainedModelFixture.Options();
        options.Activation = activation;
        options.NumberOfSteps = 20;
        LinearAttentionRegressionTransformer model = ml.Regression.Trainers.LinearAttention(options)
            .Fit(PromptData.ToDataView(ml, PromptData.Rows(300, seed: 42), TrainedModelFixture.FeatureCount));
        Assert.True(model.Model.Scoring.SupportsBatches);
        PromptRow[] rows = PromptData.Rows(300, seed: 43);                 // a full block of 256 and a partial one
        float[] batched = PromptData.Scores(model.Transform(PromptData.ToDataView(ml, rows, TrainedModelFixture.FeatureCount)));
        var engine = ml.Model.CreatePredictionEngine<PromptRow, ScoredRow>(model, inputSchemaDefinition: PromptData.InputDefinition(TrainedModelFixture.FeatureCount));
        for (int i = 0; i < rows.Length; i++) Assert.Equal(engine.Predict(rows[i]).Score, batched[i]);
        Assert.Contains(batched, v => v != 0 && float.IsFinite(v));
    }

    [Fact]
    public void BatchedTransform_CanBeReadWithoutTheScoreColumn()
    {
        IDataView scored = _fixture.Model.Transform(_fixture.Test);
        Assert.Equal(_fixture.TestRows.Select(r => r.Label), scored.GetColumn<float>("Label"));
    }

    [Fact]
    public void LoadedModel_RecoveredAsTransformer_ScoresLikeTheLoadedChain()
    {
        MLContext ml = _fixture.MLContext;
        using var stream = new MemoryStream();
        ml.Model.Save(_fixture.Model, _fixture.Train.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = new MLContext(seed: 5).Model.Load(stream, out _);
        LinearAttentionRegressionTransformer recovered = LinearAttentionModel.FromTransformer(loaded).ToTransformer(_fixture.Test);
        Assert.Equal(PromptData.Scores(loaded.Transform(_fixture.Test)), PromptData.Scores(recovered.Transform(_fixture.Test)));
    }

    public sealed class ScoredRow
    {
        public float Score;
    }
}
