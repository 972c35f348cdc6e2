using System.Net;
using System.Text;
using LinAttn.Cli.Reproduction;

namespace LinAttn.Cli.Output.Reports;

/// <summary>The top-level report of <c>reproduce all</c>: one row per figure (wall time, claims passed) linking to its
/// report, then every claim.</summary>
internal static class IndexReport
{
    public static void Write(string folder, IReadOnlyList<RecipeReport> reports)
    {
        var md = new StringBuilder("# Reproduction of Ahn et al. (ICLR 2024)\n\n| figure | wall time | claims | report |\n|---|---|---|---|\n");
        foreach (RecipeReport r in reports)
            md.Append($"| {r.Title} | {ReportWriter.Seconds(r.WallSeconds)} | {ReportWriter.ClaimSummary(r)} | [{r.Name}/report.md]({r.Name}/report.md) |\n");
        md.Append($"\nTotal wall time {ReportWriter.Seconds(reports.Sum(r => r.WallSeconds))}.\n\n## All claims\n\n| figure | claim | verdict | ours |\n|---|---|---|---|\n");
        foreach (RecipeReport r in reports)
            foreach (Claim c in r.Claims) md.Append($"| {r.Name} | {c.Statement.Replace("|", "\\|")} | **{c.Verdict}** | {c.Measured.Replace("|", "\\|")} |\n");
        File.WriteAllText(Path.Combine(folder, "report.md"), md.ToString());

        var html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Reproduction</title></head><body>\n<h1>Reproduction of Ahn et al. (ICLR 2024)</h1>\n<table border=\"1\"><tr><th>figure</th><th>wall time</th><th>claims</th></tr>\n");
        foreach (RecipeReport r in reports)
            html.Append($"<tr><td><a href=\"{r.Name}/report.html\">{WebUtility.HtmlEncode(r.Title)}</a></td><td>{ReportWriter.Seconds(r.WallSeconds)}</td><td>{ReportWriter.ClaimSummary(r)}</td></tr>\n");
        html.Append("</table></body></html>\n");
        File.WriteAllText(Path.Combine(folder, "report.html"), html.ToString());
    }
}
