using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LinAttn.Tests.TestKit;

/// <summary>A <c>linattn</c> process (the CLI built next to the tests) with its output captured line by line. The
/// storage goes through <c>LINATTN_STORAGE</c>, as a user would pass a connection string.</summary>
public sealed partial class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public WorkerProcess(string storage, IEnumerable<string> arguments)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "linattn.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException($"The linattn CLI was not built next to the tests ({cli}).");
        string host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LINATTN_STORAGE"] = storage;
        start.Environment["OMP_NUM_THREADS"] = "1";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue("stderr: " + e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output => string.Join('\n', _lines);

    /// <summary>The jobs this process reported as run and stored: (trial, start steps, steps).</summary>
    public IReadOnlyList<(int Trial, int Start, int Steps)> Ran
        => _lines.Select(l => RanLine().Match(l)).Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value))).ToList();

    /// <summary>Waits for the process to end; fails the test with its output when it does not end in time.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Worker {Id} did not finish within {timeout.TotalSeconds} s. Output:\n{Output}");
        }
        _process.WaitForExit();   // drains the output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no cleanup, no release of claims.</summary>
    public void Kill() => _process.Kill();

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [GeneratedRegex(@"ran trial (\d+) steps (\d+)->(\d+):")]
    private static partial Regex RanLine();
}
