using LinAttn.Benchmarks.Harness;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;
using TorchSharp;

namespace LinAttn.Benchmarks;

/// <summary>
/// One full training step (fresh batch, forward, backward, clip, Adam), L = 3, d = 5, n = 20, Restricted, measured side
/// by side in one run: the fast engine, the TorchSharp engine, and the PyTorch reimplementation of the authors'
/// formulation (pytorch/reference_step.py, when Debian's python3-torch is installed). Medians; ratios of medians.
/// </summary>
internal static class StepComparison
{
    public static void Run(int[] batches, int[] threads)
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var sampler = new PromptSampler(spec.Task);
        var fast = new Dictionary<(int, int), Measurement>();
        var fastMoments = new Dictionary<(int, int), Measurement>();
        var torchSharp = new Dictionary<(int, int), Measurement>();
        foreach (int t in threads)
        {
            torch.set_num_threads(t);
            foreach (int b in batches)
            {
                double[] theta = LinearTransformer.InitialParameters(spec.Model, 0);
                int step = 0;
                // As the training loop does: one batch source per run, drawing into reused buffers.
                var source = new SyntheticBatchSource(sampler, b, 0, t);
                var fastBackend = new FastBackend(spec.Model, spec.Training.Optimizer, 1.0, theta, t);
                fast[(b, t)] = Measure(() => fastBackend.Step(source.Next(step++), 1e-4));
                // The same step on batches drawn as moments (TrainingOptions.Sampling = Moments: same law, other draws).
                var moments = new SyntheticBatchSource(sampler, b, 0, t, PromptSampling.Moments);
                fastMoments[(b, t)] = Measure(() => fastBackend.Step(moments.Next(step++), 1e-4));
                using var torchBackend = new TorchSharpBackend(spec.Model, spec.Training.Optimizer, 1.0, theta);
                torchSharp[(b, t)] = Measure(() => torchBackend.Step(source.Next(step++), 1e-4));
                Console.Error.WriteLine($"  measured B={b}, threads={t}");
            }
        }

        Dictionary<(int Batch, int Threads), Measurement>? pytorch = null;
        string? python = PyTorchReference.FindInterpreter();
        if (python is null)
        {
            Console.WriteLine("note: no Python with torch found (/usr/bin/python3 or python3); the PyTorch column is skipped.");
            Console.WriteLine("      On Debian: apt-get install python3-torch libopenblas0-pthread (see docs/performance.md).");
        }
        else
        {
            string parity = Path.Combine(AppContext.BaseDirectory, "pytorch", "reference-restricted.json");
            var (steps, check) = PyTorchReference.Run(python, batches, threads, parity);
            pytorch = steps;
            Console.WriteLine($"PyTorch reference ({python}): formulation check on the parity vectors: {check}");
        }

        Console.WriteLine("Training step (fresh batch, forward, backward, clip, Adam), L=3, d=5, n=20, Restricted; medians per step");
        Console.WriteLine("(fast: tokens, as the paper's code; fast/m: the same step on batches drawn as moments)");
        Console.WriteLine($"{"B",7} {"threads",7} {"fast",11} {"fast/m",11} {"TorchSharp",11} {"PyTorch",11} {"TS/fast",9} {"PT/fast",9} {"PT/fast/m",10}");
        foreach (int t in threads)
            foreach (int b in batches)
            {
                Measurement f = fast[(b, t)], m = fastMoments[(b, t)], s = torchSharp[(b, t)];
                string py = pytorch is not null && pytorch.TryGetValue((b, t), out Measurement p) ? Measurement.Human(p.Median) : "-";
                string pyRatio = pytorch is not null && pytorch.TryGetValue((b, t), out Measurement q) ? $"{q.Median / f.Median:F0}x" : "-";
                string pyMoments = pytorch is not null && pytorch.TryGetValue((b, t), out Measurement r) ? $"{r.Median / m.Median:F0}x" : "-";
                Console.WriteLine($"{b,7} {t,7} {Measurement.Human(f.Median),11} {Measurement.Human(m.Median),11} {Measurement.Human(s.Median),11} {py,11} {s.Median / f.Median,8:F1}x {pyRatio,9} {pyMoments,10}");
            }
        if (pytorch is null) return;
        // The issue's "N× faster" compares each side at its best thread count (PyTorch is often fastest on one thread).
        Console.WriteLine("Best against best (each side's fastest thread count): PyTorch / fast (tokens), PyTorch / fast (moments)");
        foreach (int b in batches)
        {
            double py = threads.Where(t => pytorch.ContainsKey((b, t))).Select(t => pytorch[(b, t)].Median).DefaultIfEmpty(double.NaN).Min();
            double bestTokens = threads.Min(t => fast[(b, t)].Median), bestMoments = threads.Min(t => fastMoments[(b, t)].Median);
            Console.WriteLine($"{b,7}  {py / bestTokens,6:F0}x  {py / bestMoments,6:F0}x");
        }
    }

    private static Measurement Measure(Action action) => Timing.Measure(action, Timing.Calibrate(action, 0.25), repeats: 7);
}
