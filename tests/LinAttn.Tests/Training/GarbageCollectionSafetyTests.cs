using LinAttn.Model;
using LinAttn.Tests.TestKit;
using LinAttn.Training;

namespace LinAttn.Tests.Training;

/// <summary>
/// TorchSharp passes temporary Scalar handles to native code without keeping the Scalar alive, so a garbage collection
/// with finalizers during the call frees the scalar in use ("Unknown scalar type" / use after free). The library avoids
/// every implicit Scalar; this test forces collections and finalizers continuously while training to prove it.
/// </summary>
public sealed class GarbageCollectionSafetyTests : TorchTest
{
    [Theory]
    [InlineData(ScoreActivation.Identity)]
    [InlineData(ScoreActivation.Softmax)]
    public async Task Training_SurvivesConcurrentGarbageCollection(ScoreActivation activation)
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam) with
        {
            Model = new ModelOptions { Activation = activation },
            Training = PaperPresets.Get("setting1", OptimizerKind.Adam).Training with { Steps = 300, BatchSize = 32, EvaluateEvery = 25, EvaluationBatchSize = 32, Threads = 1, Engine = EngineKind.TorchSharp },
        };
        using var stop = new CancellationTokenSource();
        var collector = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }, TaskCreationOptions.LongRunning);
        try
        {
            TrainingResult result = Runner.Train(spec);
            Assert.Equal(TrainingStatus.Completed, result.Status);
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
    }
}
