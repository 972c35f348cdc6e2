using System.Globalization;
using Spectre.Console;

namespace LinAttn.Cli.Output;

/// <summary>Prints a worker's events (jobs claimed, run, recovered, storage retries), one time-stamped line each, from
/// any thread.</summary>
internal sealed class WorkerLog
{
    private readonly IAnsiConsole _console;
    private readonly object _gate = new();

    public WorkerLog(IAnsiConsole console) => _console = console;

    public void Write(string line)
    {
        string stamp = DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        lock (_gate) _console.MarkupLineInterpolated($"[grey]{stamp}[/] {line}");
    }
}
