using LinAttn.Benchmarks.Harness;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;
using TorchSharp;

namespace LinAttn.Benchmarks;

/// <summary>
/// One full training step (sample a fresh batch, forward, backward, clip, Adam) for L = 3, d = 5, n = 20, Restricted,
/// at several batch sizes and thread counts; also the sampling alone. Prints medians.
/// </summary>
internal static class TrainingStepBenchmark
{
    public static void Run(int[] batchSizes, int[] threadCounts)
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var sampler = new PromptSampler(spec.Task);
        Console.WriteLine("TorchSharp engine, full training step (sample + forward + backward + clip + Adam), L=3, d=5, n=20, Restricted");
        Console.WriteLine($"{"B",7} {"threads",8} {"sample",28} {"step (no sampling)",28} {"full step",28}");
        foreach (int threads in threadCounts)
        {
            torch.set_num_threads(threads);
            foreach (int batch in batchSizes)
            {
                double[] theta = LinearTransformer.InitialParameters(spec.Model, 0);
                using var backend = new TorchSharpBackend(spec.Model, spec.Training.Optimizer, 1.0, theta);
                ulong step = 0;
                PromptBatch fixedBatch = sampler.Sample(batch, 0, StreamPurpose.Training, 0, threads);
                Action sample = () => sampler.Sample(batch, 0, StreamPurpose.Training, step++, threads);
                Action compute = () => backend.Step(fixedBatch, 1e-4);
                Action full = () => backend.Step(sampler.Sample(batch, 0, StreamPurpose.Training, step++, threads), 1e-4);
                int iterations = Timing.Calibrate(full);
                Measurement ms = Timing.Measure(sample, iterations);
                Measurement mc = Timing.Measure(compute, iterations);
                Measurement mf = Timing.Measure(full, iterations);
                Console.WriteLine($"{batch,7} {threads,8} {ms.Format(),28} {mc.Format(),28} {mf.Format(),28}");
            }
        }
    }
}
