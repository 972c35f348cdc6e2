using System.CommandLine;
using Spectre.Console;

namespace LinAttn.Cli.Commands;

/// <summary><c>linattn tune</c>: searches optimizer and learning rate on a paper preset, with a live trial table, and
/// writes the trial table (CSV, JSON), the plots and report.md. The study (SQLite file or PostgreSQL database) makes a
/// killed run resumable and lets <c>linattn tune worker</c> processes share the work.</summary>
internal static class TuneCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var options = new TuneOptions(Environment.ProcessorCount, Path.Combine("runs", "tune"));
        var command = new Command("tune", "Search optimizer and learning rate (fair budget per optimizer), then confirm with several seeds; writes report.md, plots and tables.");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandErrors.Guarded(console,
            () => options.Session(parse, worker: false).Run(options.Recipe(parse), options.ExplicitFlags(parse), console, cancellationToken)));
        command.Subcommands.Add(TuneWorkerCommand.Create(console));
        return command;
    }
}
