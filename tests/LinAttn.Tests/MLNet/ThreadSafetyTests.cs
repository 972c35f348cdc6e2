using LinAttn.Tests.TestKit;
using Microsoft.ML;

namespace LinAttn.Tests.MLNet;

/// <summary>One loaded model scored from 4 threads at once (a PredictionEngine per thread, and parallel Transform) gives
/// the single-threaded results exactly.</summary>
public sealed class ThreadSafetyTests : TorchTest, IClassFixture<TrainedModelFixture>
{
    private readonly TrainedModelFixture _fixture;

    public ThreadSafetyTests(TrainedModelFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task FourThreads_ScoreTheSameLoadedModel_Identically()
    {
        using var stream = new MemoryStream();
        _fixture.MLContext.Model.Save(_fixture.Model, _fixture.Train.Schema, stream);
        stream.Position = 0;
        var ml = new MLContext(seed: 0);
        ITransformer loaded = ml.Model.Load(stream, out _);
        IDataView test = PromptData.ToDataView(ml, _fixture.TestRows, TrainedModelFixture.FeatureCount);
        float[] expected = PromptData.Scores(loaded.Transform(test));

        using var start = new Barrier(4);
        var engines = Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(() =>
        {
            var engine = ml.Model.CreatePredictionEngine<PromptInput, ScoreRow>(loaded,
                inputSchemaDefinition: PromptData.InputDefinition(TrainedModelFixture.FeatureCount));
            start.SignalAndWait();
            var scores = new float[_fixture.TestRows.Length];
            for (int pass = 0; pass < 3; pass++)
            {
                for (int i = 0; i < scores.Length; i++)
                {
                    int r = (i + t * 75) % scores.Length;    // threads walk the rows from different places
                    scores[r] = engine.Predict(new PromptInput { Features = _fixture.TestRows[r].Features }).Score;
                }
            }
            return scores;
        }, TaskCreationOptions.LongRunning)).ToArray();
        foreach (float[] scores in await Task.WhenAll(engines)) Assert.Equal(expected, scores);

        float[][] transforms = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4)
            .Select(_ => PromptData.Scores(loaded.Transform(test))).ToArray();
        foreach (float[] scores in transforms) Assert.Equal(expected, scores);
    }
}
