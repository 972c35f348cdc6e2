using LinAttn.MLNet;
using Microsoft.ML;

namespace LinAttn.Tests.MLNet;

/// <summary>
/// One small model trained once and shared by the tests of a class: Setting 1 prompts (d = 5, n = 20), interleaved,
/// Adam, 150 steps of 128 prompts, one torch thread.
/// </summary>
public sealed class TrainedModelFixture
{
    public const int FeatureCount = 20 * 6 + 5;

    public TrainedModelFixture()
    {
        TorchSharp.torch.set_num_threads(1);
        MLContext = new MLContext(seed: 1);
        TrainRows = PromptData.Rows(2000, seed: 21);
        TestRows = PromptData.Rows(300, seed: 22);
        Train = PromptData.ToDataView(MLContext, TrainRows, FeatureCount);
        Test = PromptData.ToDataView(MLContext, TestRows, FeatureCount);
        Estimator = MLContext.Regression.Trainers.LinearAttention(Options());
        Model = Estimator.Fit(Train);
    }

    public static LinearAttentionRegressionTrainer.Options Options() => new()
    {
        Dimension = 5,
        NumberOfSteps = 150,
        BatchSize = 128,
        NumberOfThreads = 1,
        Seed = 3,
    };

    public MLContext MLContext { get; }
    public PromptRow[] TrainRows { get; }
    public PromptRow[] TestRows { get; }
    public IDataView Train { get; }
    public IDataView Test { get; }
    public LinearAttentionRegressionTrainer Estimator { get; }
    public LinearAttentionRegressionTransformer Model { get; }
}
