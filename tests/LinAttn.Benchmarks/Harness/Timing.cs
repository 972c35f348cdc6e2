using System.Diagnostics;

namespace LinAttn.Benchmarks.Harness;

/// <summary>Median-of-repeats timing: warm up, then time <c>repeats</c> batches of <c>iterations</c> calls.</summary>
internal static class Timing
{
    public static Measurement Measure(Action action, int iterations, int repeats = 7, int warmup = 3)
    {
        for (int i = 0; i < warmup * iterations / 4 + 1; i++) action();
        var perCall = new double[repeats];
        var clock = new Stopwatch();
        for (int r = 0; r < repeats; r++)
        {
            clock.Restart();
            for (int i = 0; i < iterations; i++) action();
            perCall[r] = clock.Elapsed.TotalSeconds / iterations;
        }
        return Summary(perCall);
    }

    /// <summary>
    /// Times <paramref name="a"/> and <paramref name="b"/> in alternating repeats (a, b, a, b, ...), so both see the same
    /// moments of a shared machine; also returns the median of the per-repeat ratios a/b.
    /// </summary>
    public static (Measurement A, Measurement B, double Ratio) MeasureAlternating(Action a, Action b, int iterations, int repeats = 9, int warmup = 3)
    {
        for (int i = 0; i < warmup * iterations / 4 + 1; i++)
        {
            a();
            b();
        }
        var timesA = new double[repeats];
        var timesB = new double[repeats];
        var clock = new Stopwatch();
        for (int r = 0; r < repeats; r++)
        {
            clock.Restart();
            for (int i = 0; i < iterations; i++) a();
            timesA[r] = clock.Elapsed.TotalSeconds / iterations;
            clock.Restart();
            for (int i = 0; i < iterations; i++) b();
            timesB[r] = clock.Elapsed.TotalSeconds / iterations;
        }
        double ratio = Median(timesA.Zip(timesB, (x, y) => x / y));
        return (Summary(timesA), Summary(timesB), ratio);
    }

    private static Measurement Summary(double[] perCall)
    {
        double[] sorted = perCall.Order().ToArray();
        return new Measurement(Median(sorted), sorted[0], sorted[^1]);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }

    /// <summary>Iterations so that one repeat takes about <paramref name="targetSeconds"/>.</summary>
    public static int Calibrate(Action action, double targetSeconds = 0.3)
    {
        action();
        var clock = Stopwatch.StartNew();
        int n = 0;
        while (clock.Elapsed.TotalSeconds < 0.05) { action(); n++; }
        double perCall = clock.Elapsed.TotalSeconds / n;
        return Math.Max(1, (int)(targetSeconds / perCall));
    }
}

/// <summary>Median, minimum and maximum seconds per call.</summary>
internal readonly record struct Measurement(double Median, double Min, double Max)
{
    public string Format() => $"{Human(Median),10} (min {Human(Min)}, max {Human(Max)})";

    public static string Human(double seconds) => seconds switch
    {
        < 1e-6 => $"{seconds * 1e9:F0} ns",
        < 1e-3 => $"{seconds * 1e6:F1} µs",
        < 1 => $"{seconds * 1e3:F2} ms",
        _ => $"{seconds:F2} s",
    };
}
