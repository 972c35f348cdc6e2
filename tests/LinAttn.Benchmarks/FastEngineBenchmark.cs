using LinAttn.Benchmarks.Harness;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>
/// The fast engine's training step (sample, forward, backward, clip, Adam), L = 3, d = 5, n = 20, split into sampling
/// and the rest, with the batches drawn as tokens (default) and as moments (<see cref="PromptSampling.Moments"/>), side
/// by side in one run.
/// </summary>
internal static class FastEngineBenchmark
{
    public static void Run(int[] batchSizes, int[] threadCounts, Parametrization parametrization = Parametrization.Restricted, int heads = 1)
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var model = spec.Model with { Parametrization = parametrization, Heads = heads };
        var sampler = new PromptSampler(spec.Task);
        Console.WriteLine($"Fast engine, full training step, L=3, d=5, n=20, {parametrization}, H={heads}; medians (min–max)");
        Console.WriteLine($"{"B",7} {"threads",8} {"sample tokens",34} {"sample moments",34} {"step (no sampling)",34} {"full step, tokens",34} {"full step, moments",34} {"tokens/moments",15}");
        foreach (int threads in threadCounts)
        {
            foreach (int batch in batchSizes)
            {
                double[] theta = LinearTransformer.InitialParameters(model, 0);
                var backend = new FastBackend(model, spec.Training.Optimizer, 1.0, theta, threads);
                int step = 0;
                PromptBatch fixedBatch = sampler.Sample(batch, 0, StreamPurpose.Training, 0, threads);
                // Reused buffers, as in training.
                var tokens = new SyntheticBatchSource(sampler, batch, 0, threads);
                var moments = new SyntheticBatchSource(sampler, batch, 0, threads, PromptSampling.Moments);
                Action full = () => backend.Step(tokens.Next(step++), 1e-4);
                int iterations = Timing.Calibrate(full);
                Measurement sampleTokens = Timing.Measure(() => tokens.Next(step++), iterations);
                Measurement sampleMoments = Timing.Measure(() => moments.Next(step++), iterations);
                Measurement compute = Timing.Measure(() => backend.Step(fixedBatch, 1e-4), iterations);
                // The two full steps alternate repeat by repeat; the ratio is the median of the per-repeat ratios.
                var (fullTokens, fullMoments, ratio) = Timing.MeasureAlternating(full, () => backend.Step(moments.Next(step++), 1e-4), iterations);
                Console.WriteLine($"{batch,7} {threads,8} {sampleTokens.Format(),34} {sampleMoments.Format(),34} {compute.Format(),34} {fullTokens.Format(),34} {fullMoments.Format(),34} {ratio,14:F2}x");
            }
        }
    }
}
