using System.CommandLine;
using LinAttn.AutoML;
using LinAttn.Cli.Output;
using LinAttn.Training;
using Spectre.Console;

namespace LinAttn.Cli.Commands;

/// <summary><c>linattn tune</c>: searches optimizer and learning rate on a paper preset, with a live trial table, and
/// writes the trial table (CSV, JSON), the plots and report.md; the study database makes a killed run resumable.</summary>
internal static class TuneCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var preset = new Option<string>("--preset") { Description = $"Paper configuration: {string.Join(", ", PaperPresets.Names)}.", DefaultValueFactory = _ => "setting1" };
        var optimizers = new Option<string>("--optimizer") { Description = "Comma-separated optimizers to compare (sgd, sgdm, adam, adamw, rmsprop, adagrad, signsgd, nsgd).", DefaultValueFactory = _ => "sgdm,adam" };
        var steps = new Option<int>("--steps") { Description = "Steps per trial (the horizon; ASHA rungs at steps/9, steps/3, steps).", DefaultValueFactory = _ => AutoMLExperiment.Defaults.StepsPerTrial };
        var budget = new Option<long?>("--budget") { Description = "Total search steps (default: 3 x steps per optimizer = 30% of a 10-point grid). Confirmation comes on top." };
        var tuner = new Option<string>("--tuner") { Description = "default (probe, Halton + ASHA, GP/TPE, confirmation), grid or random.", DefaultValueFactory = _ => "default" };
        var gridPoints = new Option<int>("--grid-points") { Description = "Learning rates per optimizer for --tuner grid.", DefaultValueFactory = _ => 10 };
        var confirm = new Option<int>("--confirm-seeds") { Description = "Seeds of the confirmation runs (0: none).", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Experiment seed (training seed of every search trial).", DefaultValueFactory = _ => 0 };
        var layers = new Option<int>("--layers") { Description = "Number of layers L.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "Prompts per step.", DefaultValueFactory = _ => TrainingOptions.Defaults.BatchSize };
        var parallel = new Option<int>("--parallel") { Description = "Trials at once, one thread each (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var timeLimit = new Option<uint?>("--time-limit") { Description = "Hard stop after this many seconds (running trials end Cancelled; rerun the command to resume)." };
        var study = new Option<string>("--study") { Description = "Study name in the database.", DefaultValueFactory = _ => "tune" };
        var storage = new Option<string?>("--storage") { Description = "SQLite study database (default: <out>/study.db)." };
        var output = new Option<string>("--out") { Description = "Folder for the report, plots and tables.", DefaultValueFactory = _ => Path.Combine("runs", "tune") };

        var command = new Command("tune", "Search optimizer and learning rate (fair budget per optimizer), then confirm with several seeds; writes report.md, plots and tables.")
        {
            preset, optimizers, steps, budget, tuner, gridPoints, confirm, seed, layers, batch, parallel, timeLimit, study, storage, output,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Guarded(console, () => Run(new TuneSettings(
            parse.GetValue(preset)!, parse.GetValue(optimizers)!, parse.GetValue(steps), parse.GetValue(budget), parse.GetValue(tuner)!,
            parse.GetValue(gridPoints), parse.GetValue(confirm), parse.GetValue(seed), parse.GetValue(layers), parse.GetValue(batch),
            parse.GetValue(parallel), parse.GetValue(timeLimit), parse.GetValue(study)!, parse.GetValue(storage), parse.GetValue(output)!), console, cancellationToken)));
        return command;
    }

    internal sealed record TuneSettings(string Preset, string Optimizers, int Steps, long? Budget, string Tuner, int GridPoints, int ConfirmSeeds,
        ulong Seed, int Layers, int BatchSize, int Parallel, uint? TimeLimit, string Study, string? Storage, string Output);

    internal static async Task<int> Run(TuneSettings s, IAnsiConsole console, CancellationToken cancellationToken)
    {
        AutoMLExperiment experiment = Build(s, out string title);
        Directory.CreateDirectory(s.Output);
        console.MarkupLineInterpolated($"[bold]{title}[/]");
        bool live = console.Profile.Capabilities.Interactive;
        var monitor = new TuneProgressMonitor(console, live);
        experiment.SetMonitor(monitor);

        ExperimentResult result;
        if (live)
        {
            ExperimentResult? r = null;
            await console.Live(monitor.Render()).AutoClear(false).StartAsync(async ctx =>
            {
                monitor.Changed = () => ctx.UpdateTarget(monitor.Render());
                r = await experiment.RunAsync(cancellationToken);
            });
            result = r!;
        }
        else
        {
            result = await experiment.RunAsync(cancellationToken);
        }

        File.WriteAllText(Path.Combine(s.Output, "trials.csv"), result.ToCsv());
        File.WriteAllText(Path.Combine(s.Output, "trials.json"), result.ToJson());
        IReadOnlyList<string> plots = TunePlots.Write(s.Output, result);
        string report = TuneReport.Write(s.Output, result, title, plots);
        TuneSummary.Write(console, result, report);
        return result.IsComplete ? 0 : 130;
    }

    private static AutoMLExperiment Build(TuneSettings s, out string title)
    {
        var names = s.Optimizers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new ArgumentOutOfRangeException("--optimizer", "--optimizer must name at least one optimizer.");
        RunSpec task = PaperPresets.Get(s.Preset, OptimizerKind.Adam, seed: s.Seed, layers: s.Layers);
        task = task with { Training = task.Training with { BatchSize = s.BatchSize } };
        var experiment = new AutoMLExperiment(task, s.Seed);
        foreach (string name in names)
        {
            OptimizerOptions.ParseKind(name, "--optimizer");
            experiment.AddOptimizer(name);
        }
        experiment.SetStepBudget(s.Steps, s.Budget).SetMaxConcurrentTrials(s.Parallel)
            .SetCheckpoint(s.Storage ?? Path.Combine(s.Output, "study.db"), s.Study);
        switch (s.Tuner.Trim().ToLowerInvariant())
        {
            case "default":
                experiment.SetDefaultTuner(new DefaultTunerOptions { ConfirmationSeeds = s.ConfirmSeeds });
                break;
            case "grid":
                experiment.SetGridSearchTuner(s.GridPoints).SetScheduler(new FullBudgetScheduler());
                break;
            case "random":
                experiment.SetRandomSearchTuner();
                break;
            default:
                throw new ArgumentOutOfRangeException("--tuner", $"--tuner '{s.Tuner}' is not known. Known tuners: default, grid, random.");
        }
        if (s.TimeLimit is uint seconds) experiment.SetTrainingTimeInSeconds(seconds);
        title = $"{PaperPresets.Describe(s.Preset)} | tune {string.Join(", ", names)} | {s.Steps} steps per trial, seed {s.Seed}, tuner {s.Tuner}";
        return experiment;
    }
}
