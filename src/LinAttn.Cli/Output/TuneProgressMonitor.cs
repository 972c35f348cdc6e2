using System.Globalization;
using LinAttn.AutoML;
using Spectre.Console;

namespace LinAttn.Cli.Output;

/// <summary>The live view of <c>linattn tune</c>: a table of the latest trials with status, rung and loss, the best so
/// far and the steps spent. On a non-interactive console it prints one line per finished trial instead.</summary>
internal sealed class TuneProgressMonitor : IMonitor
{
    private const int Rows = 14;
    private readonly IAnsiConsole _console;
    private readonly bool _live;
    private readonly object _gate = new();
    private readonly SortedDictionary<int, (string Status, string Line)> _trials = new();
    private TrialResult? _best;

    public TuneProgressMonitor(IAnsiConsole console, bool live)
    {
        _console = console;
        _live = live;
    }

    /// <summary>Called after each change (the live display refreshes).</summary>
    public Action? Changed { get; set; }

    public void ReportRunningTrial(TrialSettings settings)
        => Set(settings.TrialId, "running", $"{settings.Parameter}", settings.Steps, double.NaN, settings.Phase, false);

    public void ReportRung(TrialResult result) => Set(result, "paused");

    public void ReportCompletedTrial(TrialResult result) => Set(result, result.Status.ToString().ToLowerInvariant());

    public void ReportBestTrial(TrialResult result)
    {
        lock (_gate) _best = result;
        Changed?.Invoke();
    }

    public void ReportFailTrial(TrialSettings settings, Exception? exception = null)
        => Set(settings.TrialId, "failed", $"{settings.Parameter}", settings.Steps, double.NaN, settings.Phase, true);

    private void Set(TrialResult r, string status)
    {
        Set(r.TrialId, status, r.Parameter.ToString(), r.Steps, r.Status == TrialStatus.Diverged ? double.NaN : r.Loss, r.Phase, status != "paused" || !_live,
            r.Status == TrialStatus.Diverged ? $"diverged at step {r.DivergedAtStep}" : null);
    }

    private void Set(int id, string status, string config, int steps, double loss, TrialPhase phase, bool print, string? note = null)
    {
        string line = $"{id,4}  {phase,-12} {config,-34} {steps,6}  {Fmt(loss),10}  {status}{(note is null ? "" : $" ({note})")}";
        lock (_gate)
        {
            _trials[id] = (status, line);
        }
        if (!_live && print && status != "running") _console.WriteLine(line);
        Changed?.Invoke();
    }

    /// <summary>The table as it stands: the last rows, the best so far.</summary>
    public Table Render()
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("trial", "phase", "configuration", "steps", "loss", "status");
        lock (_gate)
        {
            foreach (var (id, (status, line)) in _trials.Reverse().Take(Rows).Reverse())
            {
                string[] cells = line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                string colour = status switch { "running" => "blue", "completed" => "green", "diverged" => "red", "failed" => "red", "pruned" => "grey", _ => "yellow" };
                table.AddRow(Markup.Escape(id.ToString(CultureInfo.InvariantCulture)), Markup.Escape(cells.ElementAtOrDefault(1) ?? ""),
                    Markup.Escape(cells.ElementAtOrDefault(2) ?? ""), Markup.Escape(cells.ElementAtOrDefault(3) ?? ""),
                    Markup.Escape(cells.ElementAtOrDefault(4) ?? ""), $"[{colour}]{Markup.Escape(status)}[/]");
            }
            table.Caption(_best is null ? "best: -" : Markup.Escape($"best: trial {_best.TrialId}, {_best.Parameter}, loss {Fmt(_best.Loss)}"));
        }
        return table;
    }

    private static string Fmt(double v) => double.IsNaN(v) ? "-" : v.ToString("0.000e+00", CultureInfo.InvariantCulture);
}
