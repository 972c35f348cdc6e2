using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LinAttn.Benchmarks;

/// <summary>
/// The machine's measured float32 FMA ceiling, the yardstick for the kernels' GFLOP/s: ten independent Vector512
/// (or Vector256) FMA chains per thread, enough to cover the FMA latency, on 1 thread and on every core at once.
/// Medians of 7 repeats of about 0.2 s; an FMA counts as 2 FLOP.
/// </summary>
internal static class PeakFlopsBenchmark
{
    private const int Iterations = 20_000_000;

    public static void Run()
    {
        Console.WriteLine($"float32 FMA peak, {Environment.ProcessorCount} cores visible");
        if (Vector512.IsHardwareAccelerated)
            Report("Vector512", Chains512, Vector512<float>.Count);
        Report("Vector256", Chains256, Vector256<float>.Count);
    }

    private static void Report(string name, Func<int, float> chains, int lanes)
    {
        double flopPerCall = 2.0 * lanes * 10 * Iterations;
        chains(Iterations / 10);
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            var samples = new double[7];
            for (int r = 0; r < samples.Length; r++)
            {
                var clock = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => chains(Iterations));
                samples[r] = threads * flopPerCall / clock.Elapsed.TotalSeconds / 1e9;
            }
            Array.Sort(samples);
            Console.WriteLine($"{name,-10} {threads} thread(s): {samples[3],6:F1} GFLOP/s (min {samples[0]:F1}, max {samples[^1]:F1})");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains512(int iterations)
    {
        Vector512<float> x = Vector512.Create(1.0000001f), y = Vector512.Create(1e-7f);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
        Vector512<float> a5 = default, a6 = default, a7 = default, a8 = default, a9 = default;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).ToScalar();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains256(int iterations)
    {
        Vector256<float> x = Vector256.Create(1.0000001f), y = Vector256.Create(1e-7f);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
        Vector256<float> a5 = default, a6 = default, a7 = default, a8 = default, a9 = default;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y); a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y); a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y); a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y); a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y); a9 = Vector256.FusedMultiplyAdd(a9, x, y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).ToScalar();
    }
}
