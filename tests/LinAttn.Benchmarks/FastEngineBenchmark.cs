using LinAttn.Benchmarks.Harness;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>The fast engine's training step (sample, forward, backward, clip, Adam), L = 3, d = 5, n = 20.</summary>
internal static class FastEngineBenchmark
{
    public static void Run(int[] batchSizes, int[] threadCounts, Parametrization parametrization = Parametrization.Restricted, int heads = 1)
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var model = spec.Model with { Parametrization = parametrization, Heads = heads };
        var sampler = new PromptSampler(spec.Task);
        Console.WriteLine($"Fast engine, full training step, L=3, d=5, n=20, {parametrization}, H={heads}");
        Console.WriteLine($"{"B",7} {"threads",8} {"sample",28} {"step (no sampling)",28} {"full step",28}");
        foreach (int threads in threadCounts)
        {
            foreach (int batch in batchSizes)
            {
                double[] theta = LinearTransformer.InitialParameters(model, 0);
                var backend = new FastBackend(model, spec.Training.Optimizer, 1.0, theta, threads);
                int step = 0;
                PromptBatch fixedBatch = sampler.Sample(batch, 0, StreamPurpose.Training, 0, threads);
                var source = new SyntheticBatchSource(sampler, batch, 0, threads);   // reused buffers, as in training
                Action sample = () => source.Next(step++);
                Action compute = () => backend.Step(fixedBatch, 1e-4);
                Action full = () => backend.Step(source.Next(step++), 1e-4);
                int iterations = Timing.Calibrate(full);
                Measurement ms = Timing.Measure(sample, iterations);
                Measurement mc = Timing.Measure(compute, iterations);
                Measurement mf = Timing.Measure(full, iterations);
                Console.WriteLine($"{batch,7} {threads,8} {ms.Format(),28} {mc.Format(),28} {mf.Format(),28}");
            }
        }
    }
}
