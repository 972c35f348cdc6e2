using System.Diagnostics;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>Resident and managed memory at the start and end of a long run: a leak shows as growth.</summary>
internal static class MemoryBenchmark
{
    public static void Run(int steps)
    {
        foreach (EngineKind engine in new[] { EngineKind.Fast, EngineKind.TorchSharp })
        {
            RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
            spec = spec with { Training = spec.Training with { Steps = steps, Engine = engine, EvaluateEvery = 500 } };
            var samples = new List<(int Step, long Rss, long Managed)>();
            var progress = new Sampler(samples);
            Runner.Train(spec with { Training = spec.Training with { Steps = 200 } });   // warm-up: JIT, native load
            TrainingResult result = Runner.Train(spec, progress);
            Console.WriteLine($"{engine} engine, {steps} steps ({result.History.WallSeconds:F1} s): RSS and managed heap at evaluations");
            foreach (var (step, rss, managed) in new[] { samples[1], samples[samples.Count / 2], samples[^1] })
                Console.WriteLine($"  step {step,6}: RSS {rss / 1048576.0,8:F1} MiB   managed {managed / 1048576.0,7:F1} MiB");
            long growth = samples[^1].Rss - samples[1].Rss;
            Console.WriteLine($"  RSS change from step {samples[1].Step} to the end: {growth / 1048576.0:+0.0;-0.0} MiB");
        }
    }

    private sealed class Sampler(List<(int, long, long)> samples) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            // Collect first, so the numbers are retained memory rather than garbage awaiting collection.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            samples.Add((value.Step, process.WorkingSet64, GC.GetTotalMemory(false)));
        }
    }
}
