using System.Diagnostics;
using System.Globalization;

namespace LinAttn.Benchmarks.Harness;

/// <summary>Runs pytorch/reference_step.py with a Python that has torch (Debian's python3-torch), or explains why not.</summary>
internal static class PyTorchReference
{
    private static readonly string[] Interpreters = { "/usr/bin/python3", "python3" };

    public static string Script => Path.Combine(AppContext.BaseDirectory, "pytorch", "reference_step.py");

    /// <summary>The first interpreter that imports torch, or null.</summary>
    public static string? FindInterpreter()
    {
        foreach (string candidate in Interpreters)
        {
            try
            {
                var (code, output) = RunProcess(candidate, "-c \"import torch; print(torch.__version__)\"", TimeSpan.FromSeconds(60));
                if (code == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }
        return null;
    }

    /// <summary>Median, min and max seconds per step by (B, threads), plus the parity check line.</summary>
    public static (Dictionary<(int Batch, int Threads), Measurement> Steps, string Parity) Run(string python, int[] batches, int[] threads, string parityFile)
    {
        string args = $"\"{Script}\" --parity \"{parityFile}\" --batches {string.Join(',', batches)} --threads {string.Join(',', threads)}";
        var (code, output) = RunProcess(python, args, TimeSpan.FromMinutes(30));
        if (code != 0) throw new InvalidOperationException($"{python} {args} failed:\n{output}");
        var steps = new Dictionary<(int, int), Measurement>();
        string parity = "";
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] f = line.Split(',');
            if (f[0] == "parity") { parity = line; continue; }
            if (f.Length != 5) continue;
            double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
            steps[(int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture))] = new Measurement(Parse(f[2]), Parse(f[3]), Parse(f[4]));
        }
        return (steps, parity);
    }

    private static (int Code, string Output) RunProcess(string file, string arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(true);
            return (-1, output + "\n(timed out)");
        }
        return (process.ExitCode, output);
    }
}
