using System.Globalization;
using LinAttn.AutoML;
using Spectre.Console;

namespace LinAttn.Cli.Output;

/// <summary>The end-of-command table of <c>linattn tune</c>: the ranking with best rates and confirmed losses.</summary>
internal static class TuneSummary
{
    public static void Write(IAnsiConsole console, ExperimentResult result, string? reportPath)
    {
        var table = new Table().AddColumns("rank", "optimizer", "best lr", "search loss", Markup.Escape("confirmed median | mean [95% CI] | diverged"), "P(best)", "cliff", "steps");
        foreach (OptimizerSummary o in result.Optimizers)
        {
            ConfirmationStatistics? c = o.Confirmation;
            string[] cells =
            {
                o.Rank.ToString(CultureInfo.InvariantCulture), o.Name, G(o.BestLearningRate), E(o.BestLoss),
                c is null ? "-" : $"{E(c.Median)} | {E(c.Mean)} [{E(c.Lower95)}, {E(c.Upper95)}] | {c.DivergedSeeds}/{c.Losses.Count}",
                c is null ? "-" : c.ProbabilityBest.ToString("F2", CultureInfo.InvariantCulture),
                o.DivergenceCliff is double d ? G(d) : "-", o.StepsSpent.ToString("N0", CultureInfo.InvariantCulture),
            };
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        console.Write(table);
        if (result.StopReason is not null) console.MarkupLineInterpolated($"[yellow]{result.StopReason}[/]");
        console.MarkupLineInterpolated($"ranking: {string.Join(" > ", result.Ranking)}; {result.Trials.Count} trials, {result.SearchSteps:N0} search steps");
        if (reportPath is not null) console.MarkupLineInterpolated($"report: {reportPath}");
    }

    private static string G(double v) => double.IsNaN(v) ? "-" : v.ToString("G3", CultureInfo.InvariantCulture);

    private static string E(double v) => double.IsNaN(v) ? "-" : v.ToString("0.000e+00", CultureInfo.InvariantCulture);
}
