using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LinAttn.Engine.Simd;

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
            Report("Vector512", Chains<Float512, Vector512<float>>, Vector512<float>.Count);
        Report("Vector256", Chains<Float256, Vector256<float>>, Vector256<float>.Count);
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

    // Ten independent FMA chains over the engine's own vector types (the JIT specialises this per type).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains<TOps, TVec>(int iterations)
        where TOps : struct, ISimdOps<TVec, float>
        where TVec : unmanaged
    {
        TVec x = TOps.Broadcast(1.0000001f), y = TOps.Broadcast(1e-7f);
        TVec a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero, a4 = TOps.Zero;
        TVec a5 = TOps.Zero, a6 = TOps.Zero, a7 = TOps.Zero, a8 = TOps.Zero, a9 = TOps.Zero;
        for (int i = 0; i < iterations; i++)
        {
            a0 = TOps.MulAdd(a0, x, y); a1 = TOps.MulAdd(a1, x, y); a2 = TOps.MulAdd(a2, x, y); a3 = TOps.MulAdd(a3, x, y);
            a4 = TOps.MulAdd(a4, x, y); a5 = TOps.MulAdd(a5, x, y); a6 = TOps.MulAdd(a6, x, y); a7 = TOps.MulAdd(a7, x, y);
            a8 = TOps.MulAdd(a8, x, y); a9 = TOps.MulAdd(a9, x, y);
        }
        TVec sum = TOps.Add(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)), TOps.Add(TOps.Add(a4, a5), TOps.Add(TOps.Add(a6, a7), TOps.Add(a8, a9))));
        return TOps.GetLane(sum, 0);
    }
}
