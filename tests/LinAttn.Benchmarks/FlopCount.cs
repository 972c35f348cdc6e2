using LinAttn.Engine;
using LinAttn.Engine.Simd;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>
/// Exact floating-point operation counts of the fast engine per prompt: the kernels run with a one-lane "vector" type
/// whose arithmetic increments counters (an FMA counts 2). Covers S₀, forward and backward; not sampling or Adam.
/// </summary>
internal static class FlopCount
{
    public static void Run()
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var cases = new List<(string Label, ModelOptions Model, TaskOptions Task)>();
        foreach (var (parametrization, heads) in new[] { (Parametrization.Restricted, 1), (Parametrization.PreconditionedGd, 1), (Parametrization.Full, 1), (Parametrization.Restricted, 2) })
            cases.Add(($"{parametrization} H={heads} (L=3, d=5, n=20)", spec.Model with { Parametrization = parametrization, Heads = heads }, spec.Task));
        // fig5's model, and the nonlinear experiment's (Full with the 5→30→5 feature MLP).
        cases.Add(("Restricted H=1 (L=8, d=20, n=60; fig5)", spec.Model with { Layers = 8, Dimension = 20 }, spec.Task with { Dimension = 20, ContextLength = 60 }));
        cases.Add(("Full + feature MLP h=30 (L=3, d=5, n=20; nonlinear)", spec.Model with { Parametrization = Parametrization.Full, FeatureMlpWidth = 30 },
            spec.Task with { Target = TargetFunction.RandomReluFeatures }));
        cases.Add(("Softmax scores, token-level (L=3, d=5, n=20; fig4)", spec.Model with { Activation = ScoreActivation.Softmax }, spec.Task));
        cases.Add(("ReLU scores, token-level (L=3, d=5, n=20)", spec.Model with { Activation = ScoreActivation.Relu }, spec.Task));
        foreach (var (label, options, task) in cases)
        {
            var (forward, total, exps) = PerPrompt(options, task);
            Console.WriteLine($"{label,-52}: {forward,9:F0} FLOP per prompt forward (incl. S0), {total,9:F0} forward + backward" +
                              (exps > 0 ? $", {exps:F0} exponentials" : ""));
        }
    }

    /// <summary>FLOP per prompt of the forward pass (with S₀) and of forward + backward, and exponentials per prompt
    /// (counted once each, also inside the FLOP), measured on 64 prompts of <paramref name="task"/>.</summary>
    internal static (double Forward, double Total, double Exponentials) PerPrompt(ModelOptions options, TaskOptions task)
    {
        PromptBatch batch = new PromptSampler(task).Sample(64, 0, StreamPurpose.Evaluation, 0, 1);
        var worker = new KernelWorker<CountingOps, double, double>(options);
        var map = new ParameterMap(options);
        var p = new double[map.FullSize];
        var q = new double[map.FullSize];
        double[] theta = LinearTransformer.InitialParameters(options, 0);
        map.ToFull(theta, p, q);
        worker.SetParameters(p, q);
        worker.SetFeatureParameters(theta.AsSpan(options.AttentionParameterCount));
        CountingOps.Reset();
        worker.Process(batch, 0, batch.BatchSize, 0, Span<double>.Empty, Span<double>.Empty, Span<double>.Empty);
        double forward = CountingOps.Flops / (double)batch.BatchSize;
        CountingOps.Reset();
        worker.Process(batch, 0, batch.BatchSize, 1.0 / batch.BatchSize, new double[map.FullSize], new double[map.FullSize], Span<double>.Empty,
            new double[options.FeatureMlpParameterCount]);
        return (forward, CountingOps.Flops / (double)batch.BatchSize, CountingOps.Exponentials / (double)batch.BatchSize);
    }
}

/// <summary>A one-lane ISimdOps over double that counts the floating-point operations it performs.</summary>
internal readonly struct CountingOps : ISimdOps<double, double>
{
    [ThreadStatic] private static long s_flops, s_exponentials;

    public static long Flops => s_flops;

    public static long Exponentials => s_exponentials;

    public static void Reset() => s_flops = s_exponentials = 0;

    public static int Width => 1;
    public static double Zero => 0;
    public static double Broadcast(double value) => value;
    public static double Add(double a, double b) { s_flops++; return a + b; }
    public static double Sub(double a, double b) { s_flops++; return a - b; }
    public static double Mul(double a, double b) { s_flops++; return a * b; }
    public static double MulAdd(double a, double b, double c) { s_flops += 2; return Math.FusedMultiplyAdd(a, b, c); }
    public static double Divide(double a, double b) { s_flops++; return a / b; }
    public static double ExpNonPositive(double x) { s_flops++; s_exponentials++; return Math.Exp(x); }
    public static double Max(double a, double b) { s_flops++; return a > b ? a : b; }
    public static double Relu(double x) { s_flops++; return x < 0 ? 0 : x; }
    public static double WherePositive(double condition, double value) { s_flops++; return condition > 0 ? value : 0; }
    public static double GetLane(double v, int lane) => v;
    public static double Load(ReadOnlySpan<double> values) => values[0];
    public static double FromDouble(double value) => value;
    public static double FromSingle(float value) => value;
    public static double ToDouble(double value) => value;
    public static void StoreDoubles(double v, ref double destination) => destination = v;
}
