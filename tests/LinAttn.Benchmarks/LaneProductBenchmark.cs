using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LinAttn.Engine;
using LinAttn.Engine.Simd;

namespace LinAttn.Benchmarks;

/// <summary>
/// GFLOP/s of the kernels' k×k lane products (float32, Vector512 lanes, one thread) for C = A B, C = A Bᵀ and
/// C += Aᵀ B: k = 5 and 6 (d = 5), 20 (fig5's d = 20). Operands stay in L1; medians of 7 repeats of about 0.2 s.
/// Compare with <c>-- peak</c> (one thread) for the fraction of the FMA ceiling.
/// </summary>
internal static class LaneProductBenchmark
{
    public static void Run(int[] sizes)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Console.WriteLine("products: Vector512 is not accelerated on this machine; nothing measured.");
            return;
        }
        Console.WriteLine("k×k lane products, float32 Vector512, 1 thread; GFLOP/s medians (min–max) of 7 repeats");
        foreach (int k in sizes)
        {
            var a = Filled(k, 1);
            var b = Filled(k, 2);
            var c = new Vector512<float>[k * k];
            Report($"k = {k,2}  C = A B", k, () => LaneMatrix<Float512, Vector512<float>, float>.Multiply(k, a, b, c));
            Report($"k = {k,2}  C = A Bᵀ", k, () => LaneMatrix<Float512, Vector512<float>, float>.MultiplyTransposed(k, a, b, c));
            Report($"k = {k,2}  C += Aᵀ B", k, () => { Array.Clear(c); LaneMatrix<Float512, Vector512<float>, float>.MultiplyTransposeLeftAccumulate(k, a, b, c); });
        }
    }

    private static Vector512<float>[] Filled(int k, int seed)
    {
        var random = new System.Random(seed);
        var values = new Vector512<float>[k * k];
        for (int i = 0; i < values.Length; i++) values[i] = Vector512.Create((float)(random.NextDouble() - 0.5));
        return values;
    }

    private static void Report(string name, int k, Action product)
    {
        double flopPerCall = 2.0 * k * k * k * Vector512<float>.Count;
        int calls = Math.Max(1, (int)(2e8 / flopPerCall));
        Repeat(product, calls / 10);
        var samples = new double[7];
        for (int r = 0; r < samples.Length; r++)
        {
            var clock = Stopwatch.StartNew();
            Repeat(product, calls);
            samples[r] = calls * flopPerCall / clock.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(samples);
        Console.WriteLine($"{name,-22} {samples[3],6:F1} GFLOP/s (min {samples[0]:F1}, max {samples[^1]:F1})");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Repeat(Action product, int calls)
    {
        for (int i = 0; i < calls; i++) product();
    }
}
