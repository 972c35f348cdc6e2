using System.Diagnostics;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>
/// The fast engine's full Hessian two ways, side by side in one process: the layered method (gradients block by block,
/// each column only from its layer up; the default) and one whole gradient per column (the previous method). The two
/// alternate round by round on the same θ and evaluation batch (B = 1000), so machine-speed drift hits both; prints
/// per-method medians, the median of the per-round ratios, and the largest difference between the two Hessians.
/// </summary>
internal static class HessianMethodBenchmark
{
    /// <param name="threads">Threads of the loss.</param>
    /// <param name="rounds">Alternating rounds (one Hessian per method each).</param>
    public static void Run(int threads, int rounds)
    {
        Console.WriteLine($"Full Hessian, float64, threads={threads}, B=1000, {rounds} alternating rounds: gradient per column vs layered");
        Console.WriteLine($"{"model",-34} {"P",5} {"per column",12} {"layered",12} {"ratio",7} {"max |ΔH|/max |H|",18}");
        foreach (var (label, layers, parametrization, heads) in new[]
                 {
                     ("Restricted L=3 (fig2, Setting 1)", 3, Parametrization.Restricted, 1),
                     ("Restricted L=8 (fig8)", 8, Parametrization.Restricted, 1),
                     ("Full L=3", 3, Parametrization.Full, 1),
                     ("Restricted L=3 H=2", 3, Parametrization.Restricted, 2),
                 })
        {
            RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam, layers: layers);
            ModelOptions model = spec.Model with { Parametrization = parametrization, Heads = heads };
            PromptBatch evaluation = new PromptSampler(spec.Task).Sample(1000, 99, StreamPurpose.Evaluation, 0, threads);
            double[] theta = LinearTransformer.InitialParameters(model, 1).Select((v, i) => v + 0.05 * Math.Sin(i)).ToArray();
            using var layered = new FastDifferentiableLoss(model, threads);
            using var perColumn = new FastDifferentiableLoss(model, threads) { LayeredHessian = false };
            double[] a = perColumn.Hessian(theta, evaluation), b = layered.Hessian(theta, evaluation);   // warm-up
            double scale = a.Max(Math.Abs), worst = 0;
            for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            var old = new double[rounds];
            var now = new double[rounds];
            var clock = new Stopwatch();
            for (int r = 0; r < rounds; r++)
            {
                clock.Restart();
                perColumn.Hessian(theta, evaluation);
                old[r] = clock.Elapsed.TotalSeconds;
                clock.Restart();
                layered.Hessian(theta, evaluation);
                now[r] = clock.Elapsed.TotalSeconds;
            }
            double ratio = Harness.Timing.Median(old.Zip(now, (o, n) => o / n).ToArray());
            Console.WriteLine($"{label,-34} {theta.Length,5} {Harness.Measurement.Human(Harness.Timing.Median(old)),12} {Harness.Measurement.Human(Harness.Timing.Median(now)),12} {ratio,6:F2}× {worst / scale,18:E1}");
        }
    }

}
