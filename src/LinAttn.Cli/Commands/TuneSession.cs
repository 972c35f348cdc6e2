using LinAttn.AutoML;
using LinAttn.Cli.Output;
using Spectre.Console;

namespace LinAttn.Cli.Commands;

/// <summary>
/// One run of <c>linattn tune</c> or <c>linattn tune worker</c>: opens the storage (a SQLite file or a PostgreSQL
/// connection string; from <c>--storage</c> or <c>$LINATTN_STORAGE</c>), takes the experiment from the study's stored
/// recipe when the study exists (flags given explicitly must agree with it) or from the flags when it is new, runs as
/// one of the study's workers until the study is complete, and writes the report.
/// </summary>
internal sealed record TuneSession(string Study, string? Storage, string? Output, int Parallel, uint? TimeLimit, double Heartbeat, double Grace,
    double Poll, double RetryFor, bool Worker)
{
    public async Task<int> Run(TuneRecipe flags, IReadOnlySet<string> explicitFlags, IAnsiConsole console, CancellationToken cancellationToken)
    {
        string storage = ResolveStorage();
        bool live = console.Profile.Capabilities.Interactive;
        Action<string>? log = live ? null : new WorkerLog(console).Write;
        if (!(RetryFor >= 0) || double.IsInfinity(RetryFor))
            throw new ArgumentOutOfRangeException("--retry-for", $"--retry-for must be a non-negative number of seconds, but was {RetryFor}.");
        using IStudyStorage store = StudyStorage.Open(storage, log, TimeSpan.FromSeconds(RetryFor));
        string where = StudyStorage.Describe(store);
        TuneRecipe recipe = Recipe(store, where, flags, explicitFlags);

        var worker = new WorkerOptions { HeartbeatSeconds = Heartbeat, GraceSeconds = Grace, PollSeconds = Poll, Log = log };
        AutoMLExperiment experiment = recipe.Build().SetMaxConcurrentTrials(Parallel).SetStorage(store, Study)
            .SetStudyAttributes(recipe.ToJson()).SetWorker(worker);
        if (TimeLimit is uint seconds) experiment.SetTrainingTimeInSeconds(seconds);
        if (Output is not null) Directory.CreateDirectory(Output);
        console.MarkupLineInterpolated($"[bold]{recipe.Title}[/]");
        console.MarkupLineInterpolated($"study '{Study}' in {where}; worker {worker.WorkerId}, {Parallel} job(s) at a time");

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

        string? report = null;
        if (Output is not null)
        {
            File.WriteAllText(Path.Combine(Output, "trials.csv"), result.ToCsv());
            File.WriteAllText(Path.Combine(Output, "trials.json"), result.ToJson());
            IReadOnlyList<string> plots = TunePlots.Write(Output, result);
            report = TuneReport.Write(Output, result, recipe.Title, plots);
        }
        TuneSummary.Write(console, result, report);
        return result.IsComplete ? 0 : 130;
    }

    private string ResolveStorage()
    {
        if (!string.IsNullOrWhiteSpace(Storage)) return Storage;
        string? fromEnvironment = Environment.GetEnvironmentVariable(StudyStorage.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        if (Output is null)
            throw new ArgumentException($"--storage: a worker needs the study's storage: pass --storage, or set {StudyStorage.EnvironmentVariable} (better for a connection string: it stays out of the process list).", "--storage");
        return Path.Combine(Output, "study.db");
    }

    private TuneRecipe Recipe(IStudyStorage store, string where, TuneRecipe flags, IReadOnlySet<string> explicitFlags)
    {
        StudyInfo? existing = store.FindStudy(Study);
        if (existing is null) return flags;
        TuneRecipe? stored = TuneRecipe.FromJson(existing.Attributes, Study);
        if (stored is null)
        {
            if (Worker)
                throw new InvalidOperationException(
                    $"Study '{Study}' in {where} was not created by linattn tune (it holds no recipe), so a worker cannot rebuild its experiment: run the program that created it on each machine instead.");
            return flags;
        }
        var conflicts = stored.Conflicts(flags, explicitFlags).ToList();
        if (conflicts.Count > 0)
            throw new ArgumentException(
                $"--study: study '{Study}' already exists with another experiment: {string.Join("; ", conflicts)}. Drop those flags to join it, or use another --study.", "--study");
        return stored;
    }
}
