using LinAttn.AutoML;
using LinAttn.MLNet;
using LinAttn.Tasks;
using LinAttn.Tests.MLNet;
using LinAttn.Tests.TestKit;
using Microsoft.ML;

namespace LinAttn.Tests.AutoML;

public sealed class MLNetAutoMLTests : TorchTest
{
    private const int FeatureCount = 20 * 6 + 5;

    private static DefaultTunerOptions Quick => new() { ProbePoints = 4, ProbeWidenings = 1, ExplorationPoints = 9, ExploitationPoints = 1, ConfirmationSeeds = 0 };

    [Fact]
    public async Task IDataViewExperiment_BestModel_DropsIntoAPipeline_SavesLoadsAndScores()
    {
        var ml = new MLContext(seed: 0);
        IDataView train = PromptData.ToDataView(ml, PromptData.Rows(3000, 1), FeatureCount);
        PromptRow[] validationRows = PromptData.Rows(400, 2);
        IDataView validation = PromptData.ToDataView(ml, validationRows, FeatureCount);
        var options = new LinearAttentionRegressionTrainer.Options { Dimension = 5, BatchSize = 64, NumberOfThreads = 1 };

        ExperimentResult result = await ml.LinearAttentionAutoML().CreateExperiment(train, validation, options, seed: 3)
            .AddOptimizer("sgdm").AddOptimizer("adam").SetStepBudget(90).SetDefaultTuner(Quick).SetMaxConcurrentTrials(2).RunAsync();

        LinearAttentionRegressionTransformer best = Assert.IsType<LinearAttentionRegressionTransformer>(result.BestModel);
        Assert.Equal(result.BestModelParameters, best.Model.GetParameters());
        // The trial's loss on the validation rows equals ML.NET's own evaluation of the exported model (float32 data,
        // double scoring vs the engine's float32 kernel: agreement to 1e-4 relative).
        double mse = ml.Regression.Evaluate(best.Transform(validation)).MeanSquaredError;
        Assert.Equal(result.BestTrial!.Loss, mse, result.BestTrial.Loss * 1e-4);
        Assert.True(mse < result.BestTrial.InitialLoss / 4, $"mse {mse} vs initial {result.BestTrial.InitialLoss}");

        // In a pipeline, saved and loaded through mlContext.Model: bit-identical scores.
        ITransformer pipeline = ml.Transforms.CopyColumns("LabelCopy", "Label").Fit(validation).Append(best);
        using var stream = new MemoryStream();
        ml.Model.Save(pipeline, validation.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = new MLContext(seed: 1).Model.Load(stream, out _);
        Assert.Equal(PromptData.Scores(pipeline.Transform(validation)), PromptData.Scores(loaded.Transform(validation)));
    }

    [Fact]
    public async Task SyntheticExperiment_FromTheCatalog_GivesAScoringTransformer()
    {
        var ml = new MLContext(seed: 0);
        ExperimentResult result = await ml.LinearAttentionAutoML().CreateExperiment(SmallStudy.Task(), seed: 2)
            .AddOptimizer("adam").SetStepBudget(90).SetDefaultTuner(Quick).RunAsync();
        IDataView prompts = PromptData.ToDataView(ml, PromptData.Rows(200, 5), FeatureCount);
        float[] scores = PromptData.Scores(result.BestModel!.Transform(prompts));
        Assert.Equal(200, scores.Length);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        using var module = result.CreateBestModule();
        Assert.Equal(result.Model.ParameterCount, module.GetParameters().Length);
    }

    [Fact]
    public void ValidationDataWithAnotherPromptSize_IsRejected_NamingTheColumn()
    {
        var ml = new MLContext(seed: 0);
        IDataView train = PromptData.ToDataView(ml, PromptData.Rows(50, 1), FeatureCount);
        var small = new TaskOptions { Dimension = 5, ContextLength = 10 };
        IDataView validation = PromptData.ToDataView(ml, PromptData.Rows(50, 2, small), 10 * 6 + 5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.LinearAttentionAutoML()
            .CreateExperiment(train, validation, new LinearAttentionRegressionTrainer.Options { Dimension = 5, ContextLength = 20 }));
        Assert.Contains("Features", e.Message);
    }
}
