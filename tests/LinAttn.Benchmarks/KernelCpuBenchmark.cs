using System.Diagnostics;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>
/// Single-threaded CPU time (not wall time) per call of the fast engine's pieces at B = 1000: robust to other processes
/// on a shared machine, for comparing kernel variants. Medians of 7 repeats.
/// </summary>
internal static class KernelCpuBenchmark
{
    public static void Run()
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var sampler = new PromptSampler(spec.Task);
        PromptBatch tiles = sampler.Sample(1000, 0, StreamPurpose.Training, 0, 1);
        var tokens = new PromptBatch(1000, 20, 5, tiles.Tokens, tiles.Targets);   // same data in the token layout
        ulong step = 1;
        Report("sample 1000 prompts", () => sampler.Sample(1000, 0, StreamPurpose.Training, step++, 1));
        var source = new SyntheticBatchSource(sampler, 1000, 0, 1);
        Report("sample 1000 prompts, reused buffers", () => source.Next((int)step++));
        var moments = new SyntheticBatchSource(sampler, 1000, 0, 1, PromptSampling.Moments);
        Report("sample 1000 prompts as moments, reused buffers", () => moments.Next((int)step++));
        var heavyTailed = new SyntheticBatchSource(new PromptSampler(PaperPresets.Get("setting3", OptimizerKind.Adam).Task), 1000, 0, 1);
        Report("sample 1000 prompts, Setting 3 (Gamma covariates), reused buffers", () => heavyTailed.Next((int)step++));
        var nonlinear = new SyntheticBatchSource(new PromptSampler(NonlinearTask), 1000, 0, 1);
        Report("sample 1000 prompts, nonlinear target φ, reused buffers", () => nonlinear.Next((int)step++));
        int lanes = System.Numerics.Vector<float>.Count;
        var keys = Enumerable.Range(0, lanes).Select(i => (ulong)i * 977).ToArray();
        var sink = new System.Numerics.Vector<float>[1];
        Report("110k normals (LaneRandom only)", () =>
        {
            var random = new LaneRandom(keys);
            var acc = System.Numerics.Vector<float>.Zero;
            for (int i = 0; i < 110_000 / (2 * lanes); i++)
            {
                random.NextNormalPair(out var a, out var b);
                acc += a + b;
            }
            sink[0] = acc;
        });
        foreach (var (p, precision) in new[] { (Parametrization.Restricted, Precision.Float32), (Parametrization.Full, Precision.Float32),
                     (Parametrization.Restricted, Precision.Float64) })
        {
            var options = spec.Model with { Parametrization = p, Precision = precision };
            double[] theta = LinearTransformer.InitialParameters(options, 0);
            var model = new FastModel(options, threads: 1);
            var gradient = new double[theta.Length];
            string name = precision == Precision.Float32 ? $"{p}" : $"{p} {precision}";
            Report($"{name}: loss+gradient, tiles", () => model.LossAndGradient(theta, tiles, gradient));
            Report($"{name}: loss+gradient, token layout", () => model.LossAndGradient(theta, tokens, gradient));
            Report($"{name}: loss only, tiles", () => model.LossAndGradient(theta, tiles, Span<double>.Empty));
            PromptBatch drawn = moments.Next(0);
            Report($"{name}: loss+gradient, moments", () => model.LossAndGradient(theta, drawn, gradient));
        }
    }

    // The nonlinear figure's task: y = ⟨w*, φ(x)⟩ with the fixed random ReLU map φ (5 → 10 → 5).
    private static TaskOptions NonlinearTask => new() { Target = TargetFunction.RandomReluFeatures };

    /// <summary>
    /// Runs, on one thread for the given time, one of: Restricted float32 loss + gradient on one moments batch
    /// (<c>kernel</c>), drawing moments batches (<c>sampling</c>) or token batches (<c>tokens</c>; <c>gamma</c>: Setting
    /// 3's Gamma-radius covariates; <c>nonlinear</c>: the nonlinear figure's target φ), or whole training
    /// steps on fresh moments batches (<c>step</c>: sampling, loss + gradient, clip, Adam); <paramref name="batchSize"/>
    /// prompts per call. A steady loop to attach <c>perf</c> to (development aid; prints the time per call).
    /// </summary>
    public static void Loop(double seconds, string what, int batchSize)
    {
        if (what is not ("kernel" or "sampling" or "tokens" or "gamma" or "nonlinear" or "step"))
            throw new ArgumentException($"kernel-loop runs kernel, sampling, tokens, gamma, nonlinear or step, not '{what}'.", nameof(what));
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var moments = new SyntheticBatchSource(new PromptSampler(spec.Task), batchSize, 0, 1, PromptSampling.Moments);
        var tokens = new SyntheticBatchSource(new PromptSampler(spec.Task), batchSize, 0, 1);
        var gamma = new SyntheticBatchSource(new PromptSampler(PaperPresets.Get("setting3", OptimizerKind.Adam).Task), batchSize, 0, 1);
        var nonlinear = new SyntheticBatchSource(new PromptSampler(NonlinearTask), batchSize, 0, 1);
        PromptBatch drawn = moments.Next(0);
        double[] theta = LinearTransformer.InitialParameters(spec.Model, 0);
        var model = new FastModel(spec.Model, threads: 1);
        var backend = new FastBackend(spec.Model, spec.Training.Optimizer, 1.0, theta, threads: 1);
        var gradient = new double[theta.Length];
        var clock = Stopwatch.StartNew();
        long calls = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 100; i++)
            {
                int step = (int)calls + i;
                switch (what)
                {
                    case "sampling": moments.Next(step); break;
                    case "tokens": tokens.Next(step); break;
                    case "gamma": gamma.Next(step); break;
                    case "nonlinear": nonlinear.Next(step); break;
                    case "step": backend.Step(moments.Next(step), 1e-4); break;
                    default: model.LossAndGradient(theta, drawn, gradient); break;
                }
            }
            calls += 100;
        }
        Console.WriteLine($"{what}, B = {batchSize}: {calls} calls in {clock.Elapsed.TotalSeconds:F1} s: {clock.Elapsed.TotalSeconds / calls * 1e6:F2} µs per call");
    }

    private static void Report(string name, Action action)
    {
        for (int i = 0; i < 20; i++) action();
        var samples = new double[7];
        using Process process = Process.GetCurrentProcess();
        for (int r = 0; r < samples.Length; r++)
        {
            process.Refresh();
            TimeSpan start = process.TotalProcessorTime;
            const int calls = 200;
            for (int i = 0; i < calls; i++) action();
            process.Refresh();
            samples[r] = (process.TotalProcessorTime - start).TotalSeconds / calls;
        }
        Array.Sort(samples);
        Console.WriteLine($"{name,-40} {samples[3] * 1e6,8:F1} µs CPU (min {samples[0] * 1e6:F1}, max {samples[^1] * 1e6:F1})");
    }
}
