using System.Diagnostics;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;
using TorchSharp;

namespace LinAttn.Benchmarks;

/// <summary>
/// Softmax and ReLU attention (token-level form), one training step (forward, backward, clip, Adam; the batch is fixed,
/// so sampling is not timed) on the fast engine's token-level kernel and on the TorchSharp engine, side by side: the
/// two alternate round by round on the same θ and batch, so machine-speed drift hits both. Fig. 4's model: Setting 1,
/// L = 3, Restricted, d = 5, n = 20, float32. Prints per-engine medians, the median of the per-round ratios, and the
/// fast engine's GFLOP/s by <see cref="FlopCount"/>'s exact count (an exponential counts as one).
/// </summary>
internal static class TokenAttentionBenchmark
{
    /// <param name="threads">Threads of both engines (TorchSharp's intra-op threads too).</param>
    /// <param name="rounds">Alternating rounds.</param>
    public static void Run(int threads, int rounds)
    {
        torch.set_num_threads(threads);
        Console.WriteLine($"Token-level attention, one training step (no sampling), L=3, d=5, n=20, Restricted, float32, threads={threads}, {rounds} alternating rounds");
        Console.WriteLine($"{"scores",-8} {"B",6} {"TorchSharp",12} {"fast",12} {"ratio",8} {"fast GFLOP/s",13}");
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var sampler = new PromptSampler(spec.Task);
        foreach (ScoreActivation activation in new[] { ScoreActivation.Softmax, ScoreActivation.Relu })
            foreach (int batchSize in new[] { 64, 1000 })
            {
                ModelOptions model = spec.Model with { Activation = activation };
                double[] theta = LinearTransformer.InitialParameters(model, 0);
                PromptBatch batch = sampler.Sample(batchSize, 0, StreamPurpose.Training, 0, threads);
                using var torchBackend = new TorchSharpBackend(model, spec.Training.Optimizer, 1.0, theta);
                using var fastBackend = new FastBackend(model, spec.Training.Optimizer, 1.0, theta, threads);
                int torchSteps = Math.Max(1, 300_000 / batchSize / 10), fastSteps = 10 * torchSteps;
                for (int i = 0; i < 3; i++)
                {
                    torchBackend.Step(batch, 1e-4);
                    fastBackend.Step(batch, 1e-4);
                }
                var torchTimes = new double[rounds];
                var fastTimes = new double[rounds];
                var clock = new Stopwatch();
                for (int r = 0; r < rounds; r++)
                {
                    clock.Restart();
                    for (int i = 0; i < torchSteps; i++) torchBackend.Step(batch, 1e-4);
                    torchTimes[r] = clock.Elapsed.TotalSeconds / torchSteps;
                    clock.Restart();
                    for (int i = 0; i < fastSteps; i++) fastBackend.Step(batch, 1e-4);
                    fastTimes[r] = clock.Elapsed.TotalSeconds / fastSteps;
                }
                double ratio = Harness.Timing.Median(torchTimes.Zip(fastTimes, (t, f) => t / f).ToArray());
                double gflops = FlopCount.PerPrompt(model, spec.Task).Total * batchSize / Harness.Timing.Median(fastTimes) / 1e9;
                Console.WriteLine($"{activation,-8} {batchSize,6} {Harness.Measurement.Human(Harness.Timing.Median(torchTimes)),12} {Harness.Measurement.Human(Harness.Timing.Median(fastTimes)),12} {ratio,7:F1}× {gflops,13:F1}");
            }
    }

}
