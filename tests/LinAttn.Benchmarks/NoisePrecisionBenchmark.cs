using LinAttn.Benchmarks.Harness;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>
/// A fresh-batch minibatch gradient (sampling + forward + backward: one noise sample) of the fast engine in float64
/// and in float32, alternating round by round on one thread, for the models whose gradient noise the recipes measure.
/// Prints medians and their ratio.
/// </summary>
internal static class NoisePrecisionBenchmark
{
    /// <param name="rounds">Alternating rounds; each times one calibrated loop per precision.</param>
    public static void Run(int rounds)
    {
        Console.WriteLine($"fresh-batch gradient, fast engine, 1 thread, medians of {rounds} alternating rounds");
        foreach (var (name, layers, d, n, mlp, b) in new[] { ("fig2 S1", 3, 5, 20, 0, 1000), ("fig5", 8, 20, 60, 0, 1000), ("nonlinear", 3, 5, 20, 30, 2000) })
        {
            RunSpec spec = DiagnosticsCostBenchmark.Spec(layers, d, n, mlp);
            var sampler = new PromptSampler(spec.Task);
            double[] theta = LinearTransformer.InitialParameters(spec.Model, 1);
            var gradient = new double[theta.Length];
            var m64 = new FastModel(spec.Model with { Precision = Precision.Float64 }, 1);
            var m32 = new FastModel(spec.Model with { Precision = Precision.Float32 }, 1);
            ulong index = 0;
            var t64 = new List<double>();
            var t32 = new List<double>();
            Action f64 = () => m64.LossAndGradient(theta, sampler.Sample(b, 1, StreamPurpose.Diagnostics, index++, 1), gradient);
            Action f32 = () => m32.LossAndGradient(theta, sampler.Sample(b, 1, StreamPurpose.Diagnostics, index++, 1), gradient);
            int calls = Math.Max(Timing.Calibrate(f64), 3);
            for (int r = 0; r < rounds; r++)
            {
                t64.Add(Timing.Measure(f64, calls, repeats: 1, warmup: 1).Median);
                t32.Add(Timing.Measure(f32, calls, repeats: 1, warmup: 1).Median);
            }
            double a = Timing.Median(t64), c = Timing.Median(t32);
            Console.WriteLine($"{name,-10} P={theta.Length,5} B={b}: float64 {a * 1e3,9:F3} ms  float32 {c * 1e3,9:F3} ms  ratio {a / c:F2}");
        }
    }
}
