namespace LinAttn.Diagnostics;

/// <summary>
/// Per-iteration mean and standard deviation of a quantity across seeds: what the paper's curves plot (mean line,
/// shaded ± std/4 for loss and directional smoothness, ± std/2 for the robust condition number).
/// </summary>
/// <remarks>Series are aligned by iteration; an iteration missing from some seeds uses the seeds that have it
/// (<see cref="Counts"/>). Non-finite values are skipped. The standard deviation is the unbiased one (1/(m − 1), as
/// <c>torch.std</c>); it is 0 for a single seed.</remarks>
public sealed class SeedBand
{
    private SeedBand(int[] steps, double[] mean, double[] std, int[] counts)
    {
        Steps = steps;
        Mean = mean;
        StandardDeviation = std;
        Counts = counts;
    }

    /// <summary>Iterations (the union over seeds, ascending).</summary>
    public IReadOnlyList<int> Steps { get; }

    /// <summary>Mean over seeds at each iteration.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Unbiased standard deviation over seeds at each iteration.</summary>
    public IReadOnlyList<double> StandardDeviation { get; }

    /// <summary>Number of seeds with a finite value at each iteration.</summary>
    public IReadOnlyList<int> Counts { get; }

    /// <summary>Mean at <paramref name="step"/>, or NaN.</summary>
    public double MeanAt(int step)
    {
        int i = IndexOf(step);
        return i >= 0 ? Mean[i] : double.NaN;
    }

    /// <summary>Standard deviation at <paramref name="step"/>, or NaN.</summary>
    public double StandardDeviationAt(int step)
    {
        int i = IndexOf(step);
        return i >= 0 ? StandardDeviation[i] : double.NaN;
    }

    /// <summary>The last iteration's mean.</summary>
    public double FinalMean => Mean.Count > 0 ? Mean[^1] : double.NaN;

    /// <summary>Aggregates series over seeds.</summary>
    /// <param name="seeds">One series per seed (at least one).</param>
    /// <param name="transform">Optional map applied to each value before averaging (e.g. <see cref="Math.Log(double)"/> for
    /// the mean of log-losses).</param>
    public static SeedBand Across(IEnumerable<StepSeries> seeds, Func<double, double>? transform = null)
    {
        List<StepSeries> list = Check.NotNull(seeds, nameof(seeds)).ToList();
        Check.MinimumCount(list.Count, 1, nameof(seeds));
        var byStep = new SortedDictionary<int, List<double>>();
        foreach (StepSeries series in list)
        {
            Check.Length(series.Values.Count, series.Steps.Count, nameof(series.Values));
            for (int i = 0; i < series.Steps.Count; i++)
            {
                double v = transform is null ? series.Values[i] : transform(series.Values[i]);
                if (!byStep.TryGetValue(series.Steps[i], out List<double>? values)) byStep[series.Steps[i]] = values = new List<double>();
                if (double.IsFinite(v)) values.Add(v);
            }
        }
        int count = byStep.Count;
        var steps = new int[count];
        var mean = new double[count];
        var std = new double[count];
        var counts = new int[count];
        int k = 0;
        foreach (var (step, values) in byStep)
        {
            steps[k] = step;
            counts[k] = values.Count;
            mean[k] = values.Count > 0 ? values.Average() : double.NaN;
            std[k] = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean[k]) * (v - mean[k])) / (values.Count - 1)) : values.Count == 1 ? 0 : double.NaN;
            k++;
        }
        return new SeedBand(steps, mean, std, counts);
    }

    private int IndexOf(int step)
    {
        for (int i = 0; i < Steps.Count; i++) if (Steps[i] == step) return i;
        return -1;
    }
}
