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
        PromptBatch batch = new PromptSampler(spec.Task).Sample(64, 0, StreamPurpose.Evaluation, 0, 1);
        foreach (var (parametrization, heads) in new[] { (Parametrization.Restricted, 1), (Parametrization.PreconditionedGd, 1), (Parametrization.Full, 1), (Parametrization.Restricted, 2) })
        {
            var options = spec.Model with { Parametrization = parametrization, Heads = heads };
            var worker = new KernelWorker<CountingOps, double, double>(options);
            var map = new ParameterMap(options);
            var p = new double[map.FullSize];
            var q = new double[map.FullSize];
            map.ToFull(LinearTransformer.InitialParameters(options, 0), p, q);
            worker.SetParameters(p, q);
            CountingOps.Reset();
            worker.Process(batch, 0, batch.BatchSize, 0, Span<double>.Empty, Span<double>.Empty, Span<double>.Empty);
            double forward = CountingOps.Flops / (double)batch.BatchSize;
            CountingOps.Reset();
            worker.Process(batch, 0, batch.BatchSize, 1.0 / batch.BatchSize, new double[map.FullSize], new double[map.FullSize], Span<double>.Empty);
            double total = CountingOps.Flops / (double)batch.BatchSize;
            Console.WriteLine($"{parametrization,-17} H={heads}: {forward,7:F0} FLOP per prompt forward (incl. S0), {total,7:F0} forward + backward (L=3, d=5, n=20)");
        }
    }
}

/// <summary>A one-lane ISimdOps over double that counts the floating-point operations it performs.</summary>
internal readonly struct CountingOps : ISimdOps<double, double>
{
    [ThreadStatic] private static long s_flops;

    public static long Flops => s_flops;

    public static void Reset() => s_flops = 0;

    public static int Width => 1;
    public static double Zero => 0;
    public static double Broadcast(double value) => value;
    public static double Add(double a, double b) { s_flops++; return a + b; }
    public static double Sub(double a, double b) { s_flops++; return a - b; }
    public static double Mul(double a, double b) { s_flops++; return a * b; }
    public static double MulAdd(double a, double b, double c) { s_flops += 2; return Math.FusedMultiplyAdd(a, b, c); }
    public static double Max(double a, double b) { s_flops++; return Math.Max(a, b); }
    public static double WherePositive(double condition, double value) { s_flops++; return condition > 0 ? value : 0; }
    public static double GetLane(double v, int lane) => v;
    public static double Load(ReadOnlySpan<double> values) => values[0];
    public static double FromDouble(double value) => value;
    public static double FromSingle(float value) => value;
    public static double ToDouble(double value) => value;
}
