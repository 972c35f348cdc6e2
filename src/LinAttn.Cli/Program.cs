using System.CommandLine;
using LinAttn.Cli.Commands;
using Spectre.Console;

namespace LinAttn.Cli;

/// <summary>Entry point of the <c>linattn</c> command.</summary>
public static class Program
{
    /// <summary>Parses the arguments and runs the command; returns the process exit code.</summary>
    public static Task<int> Main(string[] args) => Run(args, AnsiConsole.Console);

    /// <summary>Runs the command line against a given console (tests pass a recording console).</summary>
    public static Task<int> Run(string[] args, IAnsiConsole console)
    {
        var root = new RootCommand("linattn: train and study linear-attention in-context regressors (Ahn et al., ICLR 2024).");
        root.Subcommands.Add(TrainCommand.Create(console));
        root.Subcommands.Add(TuneCommand.Create(console));
        root.Subcommands.Add(ReproduceCommand.Create(console));
        // Ctrl-C cancels the token; allow the current unit (e.g. a Hessian) time to stop before the process is ended.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
    }
}
