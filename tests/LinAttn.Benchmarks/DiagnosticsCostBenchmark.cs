using LinAttn.Benchmarks.Harness;
using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;
using TorchSharp;

namespace LinAttn.Benchmarks;

/// <summary>
/// Cost of the diagnostics' building blocks on both engines (float64; TorchSharp: exact double backward, fast engine:
/// analytic gradients and finite-difference HVPs): a minibatch gradient
/// with a fresh batch (what the gradient-noise diagnostic repeats), a Hessian-vector product and a full Hessian on the
/// fixed evaluation batch (B = 1000), for the paper's base model, a deeper one and Fig. 5's L = 8, d = 20, n = 60.
/// Prints medians.
/// </summary>
internal static class DiagnosticsCostBenchmark
{
    /// <param name="threads">Threads of both engines.</param>
    /// <param name="fastOnly">Skip the (slow) TorchSharp engine.</param>
    public static void Run(int threads, bool fastOnly = false)
    {
        torch.set_num_threads(threads);
        var engines = new (string Name, Func<ModelOptions, IDifferentiableLoss> Create)[]
        {
            ("FastDifferentiableLoss", model => new FastDifferentiableLoss(model, threads)),
            ("TorchSharpDifferentiableLoss", model => new TorchSharpDifferentiableLoss(model)),
        };
        foreach (var (name, create) in fastOnly ? engines[..1] : engines)
        {
            Console.WriteLine($"{name} (float64), threads={threads}, Restricted (last row: Full with the nonlinear experiment's feature MLP), B=1000");
            Console.WriteLine($"{"L",3} {"d",3} {"n",3} {"P",5} {"fresh-batch gradient",28} {"HVP (cached batch)",28} {"full Hessian",28}");
            foreach (var (layers, d, n, mlp) in new[] { (3, 5, 20, 0), (8, 5, 20, 0), (8, 20, 60, 0), (3, 5, 20, 30) })
            {
                RunSpec spec = Spec(layers, d, n, mlp);
                var sampler = new PromptSampler(spec.Task);
                PromptBatch evaluation = sampler.Sample(1000, 99, StreamPurpose.Evaluation, 0, threads);
                double[] theta = LinearTransformer.InitialParameters(spec.Model, 1);
                using IDifferentiableLoss loss = create(spec.Model);
                var gradient = new double[theta.Length];
                var v = new double[theta.Length];
                v[0] = 1;
                ulong index = 0;
                Action fresh = () => loss.Gradient(theta, sampler.Sample(1000, 1, StreamPurpose.Diagnostics, index++, threads), gradient);
                Action hvp = () => loss.HessianVectorProduct(theta, evaluation, v, gradient);
                Action hessian = () => loss.Hessian(theta, evaluation);
                Measurement mf = Timing.Measure(fresh, Timing.Calibrate(fresh));
                Measurement mh = Timing.Measure(hvp, Timing.Calibrate(hvp));
                string full = theta.Length <= 1000 ? Timing.Measure(hessian, 1, repeats: 3, warmup: 1).Format() : "(not measured)";
                Console.WriteLine($"{layers,3} {d,3} {n,3} {theta.Length,5} {mf.Format(),28} {mh.Format(),28} {full,28}");
            }
        }
    }

    /// <summary>Setting 1's Adam run with L layers, dimension d and n context tokens; mlp > 0 gives the nonlinear
    /// experiment's model (Full, feature MLP d→mlp→d; 551 parameters at d = 5, mlp = 30) on its task.</summary>
    internal static RunSpec Spec(int layers, int d, int n, int mlp)
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam, layers: layers);
        spec = spec with { Model = spec.Model with { Dimension = d }, Task = spec.Task with { Dimension = d, ContextLength = n } };
        if (mlp == 0) return spec;
        return spec with
        {
            Model = spec.Model with { Parametrization = Parametrization.Full, FeatureMlpWidth = mlp, InitStd = 0.1 },
            Task = spec.Task with { Target = TargetFunction.RandomReluFeatures },
        };
    }
}
