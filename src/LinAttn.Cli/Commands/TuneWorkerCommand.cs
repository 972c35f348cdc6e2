using System.CommandLine;
using Spectre.Console;

namespace LinAttn.Cli.Commands;

/// <summary><c>linattn tune worker</c>: joins a study (PostgreSQL for several machines, or a SQLite file on one) and runs
/// its jobs until the study's budget is spent. The experiment comes from the recipe stored with the study; a worker that
/// finds no study creates it from its flags, so identical worker commands can be started anywhere in any order.</summary>
internal static class TuneWorkerCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var options = new TuneOptions(defaultParallel: 1, defaultOutput: null);
        var command = new Command("worker", "Join a study shared by several workers and run its jobs until it is complete (one job at a time by default).");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandErrors.Guarded(console,
            () => options.Session(parse, worker: true).Run(options.Recipe(parse), options.ExplicitFlags(parse), console, cancellationToken)));
        return command;
    }
}
