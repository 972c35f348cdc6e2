using Spectre.Console;

namespace LinAttn.Cli.Commands;

/// <summary>Turns the library's validation exceptions into one clear line and exit code 2.</summary>
internal static class CommandErrors
{
    public const int InvalidArguments = 2;
    public const int Failed = 1;

    public static async Task<int> Guarded(IAnsiConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ArgumentException e)
        {
            string message = FirstLine(e.Message);
            if (e.ParamName is { } name && FlagNames.TryGetValue(name, out string? flag) && !message.Contains(flag, StringComparison.Ordinal))
                message = $"{flag}: {message}";
            console.MarkupLineInterpolated($"[red]error:[/] {message}");
            if (Environment.GetEnvironmentVariable("LINATTN_DEBUG") == "1") console.WriteException(e);
            return InvalidArguments;
        }
        catch (InvalidOperationException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return Failed;
        }
        catch (IOException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return Failed;
        }
    }

    // Library option names -> the flags that set them, so a message names what the user typed.
    private static readonly Dictionary<string, string> FlagNames = new()
    {
        ["Steps"] = "--steps",
        ["BatchSize"] = "--batch-size",
        ["LearningRate"] = "--lr",
        ["learningRate"] = "--lr",
        ["Layers"] = "--layers",
        ["Dimension"] = "--dimension",
        ["ContextLength"] = "--context-length",
        ["ClipThreshold"] = "--clip",
        ["EvaluateEvery"] = "--eval-every",
        ["SnapshotEvery"] = "--snapshot-every",
        ["MaxSkippedSteps"] = "--max-skipped-steps",
        ["ratio"] = "--divergence-ratio",
        ["Threads"] = "--threads",
        ["Device"] = "--device",
        ["name"] = "--preset",
        ["stepsPerTrial"] = "--steps",
        ["totalSearchSteps"] = "--budget",
        ["maxSteps"] = "--steps",
        ["trials"] = "--parallel",
        ["pointsPerOptimizer"] = "--grid-points",
        ["ConfirmationSeeds"] = "--confirm-seeds",
        ["HeartbeatSeconds"] = "--heartbeat",
        ["GraceSeconds"] = "--grace",
        ["PollSeconds"] = "--poll",
        ["connectionString"] = "--storage",
        ["storage"] = "--storage",
    };

    // ArgumentException appends " (Parameter 'x')"; the message already names the option.
    private static string FirstLine(string message)
    {
        int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
