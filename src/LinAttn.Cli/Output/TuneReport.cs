using System.Globalization;
using System.Text;
using LinAttn.AutoML;

namespace LinAttn.Cli.Output;

/// <summary>Writes <c>report.md</c>: the ranking with confirmed losses and intervals, per-optimizer findings (best lr,
/// stable range, cliff, steps), rung agreement, and links to the plots and tables.</summary>
internal static class TuneReport
{
    public static string Write(string folder, ExperimentResult result, string title, IReadOnlyList<string> plots)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {title}").AppendLine();
        md.AppendLine($"Study `{result.StudyName}`: {result.Trials.Count} trials, {result.SearchSteps:N0} search steps, " +
                      $"{result.ConfirmationSteps:N0} confirmation steps; rungs {string.Join(", ", result.Rungs)}.");
        if (result.StopReason is not null) md.AppendLine().AppendLine($"**Stopped early:** {result.StopReason}");
        md.AppendLine().AppendLine("## Ranking").AppendLine();
        md.AppendLine("| rank | optimizer | best lr | search loss | confirmed median | mean | 95% interval | diverged seeds | P(best) | stable lr range | divergence cliff | search steps |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (OptimizerSummary o in result.Optimizers)
        {
            ConfirmationStatistics? c = o.Confirmation;
            md.AppendLine($"| {o.Rank} | {o.Name} | {G(o.BestLearningRate)} | {E(o.BestLoss)} | {(c is null ? "-" : E(c.Median))} | {(c is null ? "-" : E(c.Mean))} | " +
                          $"{(c is null ? "-" : $"[{E(c.Lower95)}, {E(c.Upper95)}]")} | {(c is null ? "-" : $"{c.DivergedSeeds}/{c.Losses.Count}")} | {(c is null ? "-" : c.ProbabilityBest.ToString("F3", CultureInfo.InvariantCulture))} | " +
                          $"{(o.StableRange is { } r ? $"[{G(r.Low)}, {G(r.High)}]" : "-")} | {(o.DivergenceCliff is double d ? G(d) : "none seen")} | {o.StepsSpent:N0} |");
        }
        md.AppendLine().AppendLine("Confirmed losses come from fresh seeds (1..K, the same for every optimizer), so the winner's selection " +
                                   "on the search seed does not bias them. Optimizers are ranked by the median (a diverged seed counts as +∞); the mean and its " +
                                   "Student-t interval are over the finite seeds. P(best) is the share of paired bootstrap resamples of the seeds in which " +
                                   "the optimizer has the lowest median.");
        md.AppendLine().AppendLine("## Rung agreement (Spearman)").AppendLine();
        md.AppendLine("| from rung | to rung | ρ | trials |").AppendLine("|---|---|---|---|");
        foreach (RankAgreement a in result.RungAgreement)
            md.AppendLine($"| {a.FromSteps} | {a.ToSteps} | {(double.IsNaN(a.Spearman) ? "n/a (< 3 pairs)" : a.Spearman.ToString("F2", CultureInfo.InvariantCulture))} | {a.Pairs} |");
        md.AppendLine().AppendLine("## Files").AppendLine();
        foreach (string p in plots) md.AppendLine($"![{Path.GetFileNameWithoutExtension(p)}]({Path.GetFileName(p)})");
        md.AppendLine().AppendLine("Every trial: `trials.csv`, `trials.json`; the study database keeps them for resuming.");
        string path = Path.Combine(folder, "report.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    private static string G(double v) => double.IsNaN(v) ? "-" : v.ToString("G3", CultureInfo.InvariantCulture);

    private static string E(double v) => double.IsNaN(v) ? "-" : v.ToString("0.000e+00", CultureInfo.InvariantCulture);
}
