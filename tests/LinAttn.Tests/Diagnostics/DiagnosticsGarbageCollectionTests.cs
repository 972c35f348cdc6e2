using LinAttn.Diagnostics;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Tests.TestKit;

namespace LinAttn.Tests.Diagnostics;

/// <summary>
/// The diagnostics call the loss, gradient and Hessian-vector products thousands of times; a long run once aborted
/// in native code when a collection finalized a temporary TorchSharp Scalar being read (<c>Tensor.ToDouble()</c>).
/// This drives the diagnostic path while another thread forces collections and finalizers non-stop.
/// </summary>
public sealed class DiagnosticsGarbageCollectionTests : TorchTest
{
    [Fact]
    public async Task GradientsAndHessianVectorProducts_SurviveConcurrentGarbageCollection()
    {
        var model = new ModelOptions { Dimension = 3, Layers = 2 };
        var sampler = new PromptSampler(new TaskOptions { Dimension = 3, ContextLength = 6 });
        double[] theta = LinearTransformer.InitialParameters(model, 1);
        using var loss = new TorchSharpDifferentiableLoss(model);
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
            GradientNoiseResult noise = GradientNoise.Measure(loss, theta, sampler,
                new GradientNoiseOptions { MinibatchSize = 16, LargeBatchMultiple = 4, Minibatches = 400, Bins = 10 });
            Assert.All(noise.Norms, n => Assert.True(double.IsFinite(n)));
            PromptBatch batch = sampler.Sample(16, 2, StreamPurpose.Evaluation, 0);
            var u = new double[theta.Length];
            var random = CounterRandom.For(4, 4);
            for (int i = 0; i < 200; i++)
            {
                random.FillGaussian(u);
                Assert.True(double.IsFinite(DirectionalSmoothness.Along(loss, theta, u, batch)));
                Assert.True(double.IsFinite(loss.Loss(theta, batch)));
            }
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
    }
}
