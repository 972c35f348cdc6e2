using LinAttn.Cli.Reproduction;
using Spectre.Console;

namespace LinAttn.Cli.Output.Reports;

/// <summary>Prints a recipe's claims as a console table, then the report's path and wall time.</summary>
internal static class ClaimTable
{
    public static void Write(IAnsiConsole console, RecipeReport report)
    {
        var table = new Table().AddColumns("claim", "verdict", "ours");
        foreach (Claim c in report.Claims)
        {
            string colour = c.Passed switch { true => "green", false => "red", null => "yellow" };
            table.AddRow(new Markup(Markup.Escape(c.Statement + (c.Required ? " (required)" : ""))), new Markup($"[{colour}]{c.Verdict}[/]"), new Markup(Markup.Escape(c.Measured)));
        }
        console.Write(table);
        console.MarkupLineInterpolated($"{report.Name}: {ReportWriter.ClaimSummary(report)}; wall time {ReportWriter.Seconds(report.WallSeconds)}; report.md and report.html written.");
    }
}
