namespace LinAttn.AutoML.Tuners;

/// <summary>
/// The decisions of the learning-rate probe: whether to widen the probed range (the best rate is on an edge), and the
/// exploration range that follows (a band around the best probe rate, capped at the lowest rate above it that diverged).
/// </summary>
internal static class LearningRateProbe
{
    /// <summary>The next rate to probe, or null when the best probe is inside the range. All diverged: one spacing
    /// below the lowest; best at the lowest: one spacing below; best at the highest: one spacing above.</summary>
    public static double? Widening(IReadOnlyList<TrialResult> probes, int probePoints, Dimension prior)
    {
        if (probes.Count == 0) return null;
        double spacing = (Math.Log(prior.Max) - Math.Log(prior.Min)) / (probePoints - 1);
        var sorted = probes.OrderBy(p => p.Parameter.LearningRate).ToList();
        double lowest = sorted[0].Parameter.LearningRate, highest = sorted[^1].Parameter.LearningRate;
        TrialResult? best = BestProbe(probes);
        if (best is null) return lowest * Math.Exp(-spacing);
        if (best.Parameter.LearningRate == lowest) return lowest * Math.Exp(-spacing);
        if (best.Parameter.LearningRate == highest) return highest * Math.Exp(spacing);
        return null;
    }

    /// <summary>The completed probe with the lowest loss (ties: lower rate).</summary>
    public static TrialResult? BestProbe(IReadOnlyList<TrialResult> probes)
        => probes.Where(p => p.Status == TrialStatus.Completed && double.IsFinite(p.Loss))
            .OrderBy(p => p.Loss).ThenBy(p => p.Parameter.LearningRate).FirstOrDefault();

    /// <summary>The lowest probed rate that diverged above the best probe rate (the divergence cliff), or null.</summary>
    public static double? Cliff(IReadOnlyList<TrialResult> probes)
    {
        TrialResult? best = BestProbe(probes);
        double above = best?.Parameter.LearningRate ?? 0;
        var diverged = probes.Where(p => p.Status == TrialStatus.Diverged && p.Parameter.LearningRate > above).Select(p => p.Parameter.LearningRate).ToList();
        return diverged.Count > 0 ? diverged.Min() : null;
    }

    /// <summary>[c / 10^w, min(c · 10^w, cliff / f)] on a log scale with c = best probe rate / 10^s; the prior when no
    /// probe completed.</summary>
    public static Dimension ExplorationRange(OptimizerSpace optimizer, IReadOnlyList<TrialResult> probes, double halfWidthDecades,
        double shiftDecades = 0, double cliffSafetyFactor = 1)
    {
        Dimension prior = optimizer.LearningRate;
        TrialResult? best = BestProbe(probes);
        if (best is null) return prior;
        double c = best.Parameter.LearningRate / Math.Pow(10, shiftDecades), w = Math.Pow(10, halfWidthDecades);
        double lo = c / w, hi = c * w;
        if (Cliff(probes) is double cliff) hi = Math.Min(hi, cliff / cliffSafetyFactor);
        if (hi <= lo) hi = lo * w;
        return prior.WithRange(lo, hi) with { Default = Math.Clamp(c, lo, hi) };
    }
}
