using LinAttn.Diagnostics.Studies;
using LinAttn.Training;

namespace LinAttn.Cli.Reproduction;

/// <summary>
/// Which runs of a comparison diverged, in words for the report and the claims: a diverged run's curves end at the
/// step that diverged, so its "final" values are its last ones before divergence, and a reader must be told.
/// </summary>
internal static class Divergence
{
    /// <summary>"k of N runs diverged (SGDM: m at steps a–b; Adam: …)", or null when none did.</summary>
    public static string? Describe(ComparisonResult result)
    {
        int total = result.Sgdm.Count + result.Adam.Count;
        var parts = new List<string>();
        int diverged = 0;
        foreach (OptimizerKind kind in OptimizerComparison.Optimizers)
        {
            int[] steps = result.Runs(kind).Where(r => r.Status == TrainingStatus.Diverged).Select(DivergedAt).Order().ToArray();
            if (steps.Length == 0) continue;
            diverged += steps.Length;
            string at = steps.Length == 1 ? $"at step {steps[0]}" : $"at steps {steps[0]}–{steps[^1]}";
            parts.Add($"{(kind == OptimizerKind.Adam ? "Adam" : "SGDM")}: {steps.Length} {at}");
        }
        return diverged == 0 ? null : $"{diverged} of {total} runs diverged ({string.Join("; ", parts)})";
    }

    // The step a diverged run stopped at: an evaluation's (θ_t measured before step t) when its last evaluation is
    // non-finite, else its last training step's.
    private static int DivergedAt(TrajectoryResult run)
        => run.EvaluationLoss.Length > 0 && !double.IsFinite(run.EvaluationLoss[^1]) ? run.EvaluationSteps[^1] : Math.Max(0, run.TrainLoss.Length - 1);

    /// <summary>"k of N runs skipped steps (SGDM: m runs, s steps in all, at most x in one; Adam: …)", or null when none did.</summary>
    public static string? DescribeSkipped(ComparisonResult result)
    {
        int total = result.Sgdm.Count + result.Adam.Count, runs = 0;
        var parts = new List<string>();
        foreach (OptimizerKind kind in OptimizerComparison.Optimizers)
        {
            int[] counts = result.Runs(kind).Select(r => r.SkippedSteps.Length).Where(c => c > 0).ToArray();
            if (counts.Length == 0) continue;
            runs += counts.Length;
            parts.Add($"{(kind == OptimizerKind.Adam ? "Adam" : "SGDM")}: {counts.Length} run{(counts.Length == 1 ? "" : "s")}, " +
                      $"{counts.Sum()} step{(counts.Sum() == 1 ? "" : "s")} in all, at most {counts.Max()} in one");
        }
        return runs == 0 ? null : $"{runs} of {total} runs skipped steps ({string.Join("; ", parts)})";
    }
}
