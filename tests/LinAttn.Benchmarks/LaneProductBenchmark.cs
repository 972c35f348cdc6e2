using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LinAttn.Engine;
using LinAttn.Engine.Simd;

namespace LinAttn.Benchmarks;

/// <summary>
/// GFLOP/s of the kernels' k×k lane products (float32, Vector512 lanes, one thread) for C = A B, C = A Bᵀ and
/// C += Aᵀ B: k = 5 and 6 (d = 5), 20 (fig5's d = 20); and of the feature MLP's rectangular products
/// (<see cref="LaneStridedProduct{TOps, TVec, T}"/>, n = 20 tokens, width 30, d = 5). Operands stay in L1; medians of 7
/// repeats of about 0.2 s. Compare with <c>-- peak</c> (one thread) for the fraction of the FMA ceiling.
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
        // The feature MLP's products for one block (n + 1 = 21 tokens, h = 30, d = 5, k = 6), as FeatureMlp calls them.
        const int tokens = 21, h = 30, d = 5, kk = 6;
        var x = Filled(tokens * d, 3);
        var w1 = Filled(h * d, 4);
        var b1 = Filled(h, 5);
        var hidden = Filled(tokens * h, 6);
        var w2 = Filled(d * h, 7);
        var features = new Vector512<float>[tokens * kk];
        var g = Filled(tokens * d, 8);
        var gw = new Vector512<float>[h * d];
        var hBar = new Vector512<float>[tokens * h];
        Rectangle("MLP ReLU(W₁x + b₁)", tokens, h, d, () => LaneStridedProduct<Float512, Vector512<float>, float>.MultiplyFromBias(tokens, h, d,
            RowMajor(x, d), Transposed(w1, d), b1, hidden, h, relu: true));
        Rectangle("MLP W₂h + b₂", tokens, d, h, () => LaneStridedProduct<Float512, Vector512<float>, float>.MultiplyFromBias(tokens, d, h,
            RowMajor(hidden, h), Transposed(w2, h), b1, features, kk, relu: false));
        Rectangle("MLP W̄₂ += Σ g hᵀ", d, h, tokens, () => LaneStridedProduct<Float512, Vector512<float>, float>.Multiply(d, h, tokens,
            Transposed(g, d), RowMajor(hidden, h), gw, h, accumulate: true));
        Rectangle("MLP h̄ = W₂ᵀ g", tokens, h, d, () => LaneStridedProduct<Float512, Vector512<float>, float>.Multiply(tokens, h, d,
            RowMajor(g, d), RowMajor(w2, h), hBar, h, accumulate: false));
        Rectangle("MLP W̄₁ += Σ h̄ xᵀ", h, d, tokens, () => LaneStridedProduct<Float512, Vector512<float>, float>.Multiply(h, d, tokens,
            Transposed(hBar, h), RowMajor(x, d), gw, d, accumulate: true));
    }

    private static StridedOperand<Vector512<float>> RowMajor(Vector512<float>[] data, int width) => StridedOperand<Vector512<float>>.RowMajor(data, width);

    private static StridedOperand<Vector512<float>> Transposed(Vector512<float>[] data, int width) => StridedOperand<Vector512<float>>.Transposed(data, width);

    private static void Rectangle(string name, int rows, int columns, int inner, Action product)
        => Report($"{name} ({rows}×{columns}, {inner})", 2.0 * rows * columns * inner * Vector512<float>.Count, product);

    private static Vector512<float>[] Filled(int k, int seed)
    {
        var random = new System.Random(seed);
        var values = new Vector512<float>[k * k];
        for (int i = 0; i < values.Length; i++) values[i] = Vector512.Create((float)(random.NextDouble() - 0.5));
        return values;
    }

    private static void Report(string name, int k, Action product) => Report(name, 2.0 * k * k * k * Vector512<float>.Count, product);

    private static void Report(string name, double flopPerCall, Action product)
    {
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
        Console.WriteLine($"{name,-36} {samples[3],6:F1} GFLOP/s (min {samples[0]:F1}, max {samples[^1]:F1})");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Repeat(Action product, int calls)
    {
        for (int i = 0; i < calls; i++) product();
    }
}
