namespace LinAttn.Diagnostics.Studies;

/// <summary>R^SGD_med / R^Adam_med at one iteration: per seed, then mean and standard deviation over seeds (the
/// tables in the paper's Fig. 2).</summary>
/// <param name="Step">The iteration.</param>
/// <param name="Mean">Mean of the per-seed ratios.</param>
/// <param name="StandardDeviation">Unbiased standard deviation of the per-seed ratios (0 for one seed).</param>
/// <param name="PerSeed">The ratios, by seed, for seeds measured under both optimizers.</param>
public sealed record RatioSummary(int Step, double Mean, double StandardDeviation, IReadOnlyList<double> PerSeed)
{
    /// <summary>Computes the summary from the two optimizers' runs, pairing them by seed.</summary>
    public static RatioSummary At(IEnumerable<TrajectoryResult> sgdm, IEnumerable<TrajectoryResult> adam, int step,
        RobustConditionDefinition definition = RobustConditionDefinition.AbsoluteDiagonal)
    {
        Dictionary<ulong, TrajectoryResult> bySeed = Check.NotNull(adam, nameof(adam)).ToDictionary(r => r.Seed);
        var ratios = new List<double>();
        foreach (TrajectoryResult s in Check.NotNull(sgdm, nameof(sgdm)).OrderBy(r => r.Seed))
        {
            if (!bySeed.TryGetValue(s.Seed, out TrajectoryResult? a)) continue;
            double ratio = s.ConditionSeries(definition).At(step) / a.ConditionSeries(definition).At(step);
            if (double.IsFinite(ratio)) ratios.Add(ratio);
        }
        double mean = ratios.Count > 0 ? ratios.Average() : double.NaN;
        double std = ratios.Count > 1 ? Math.Sqrt(ratios.Sum(r => (r - mean) * (r - mean)) / (ratios.Count - 1)) : ratios.Count == 1 ? 0 : double.NaN;
        return new RatioSummary(step, mean, std, ratios);
    }
}
