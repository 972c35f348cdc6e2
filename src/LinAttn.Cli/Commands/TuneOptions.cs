using System.CommandLine;
using LinAttn.AutoML;
using LinAttn.Training;

namespace LinAttn.Cli.Commands;

/// <summary>The flags of <c>linattn tune</c> and <c>linattn tune worker</c>: the experiment (its recipe) and the session
/// (storage, study, concurrency, worker timings), defined once for both commands.</summary>
internal sealed class TuneOptions
{
    private readonly Option<string> _preset = new("--preset") { Description = $"Paper configuration: {string.Join(", ", PaperPresets.Names)}.", DefaultValueFactory = _ => "setting1" };
    private readonly Option<string> _optimizers = new("--optimizer") { Description = "Comma-separated optimizers to compare (sgd, sgdm, adam, adamw, rmsprop, adagrad, signsgd, nsgd).", DefaultValueFactory = _ => "sgdm,adam" };
    private readonly Option<int> _steps = new("--steps") { Description = "Steps per trial (the horizon; ASHA rungs at steps/9, steps/3, steps).", DefaultValueFactory = _ => AutoMLExperiment.Defaults.StepsPerTrial };
    private readonly Option<long?> _budget = new("--budget") { Description = "Total search steps (default: 3 x steps per optimizer = 30% of a 10-point grid). Confirmation comes on top." };
    private readonly Option<string> _tuner = new("--tuner") { Description = "default (probe, Halton + ASHA, GP/TPE, confirmation), grid or random.", DefaultValueFactory = _ => "default" };
    private readonly Option<int> _gridPoints = new("--grid-points") { Description = "Learning rates per optimizer for --tuner grid.", DefaultValueFactory = _ => 10 };
    private readonly Option<int> _confirm = new("--confirm-seeds") { Description = "Seeds of the confirmation runs (0: none).", DefaultValueFactory = _ => 5 };
    private readonly Option<ulong> _seed = new("--seed") { Description = "Experiment seed (training seed of every search trial).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _layers = new("--layers") { Description = "Number of layers L.", DefaultValueFactory = _ => 3 };
    private readonly Option<int?> _dimension = new("--dimension") { Description = "Covariate dimension d (default: the preset's, 5)." };
    private readonly Option<int?> _context = new("--context-length") { Description = "Context examples per prompt n (default: the preset's)." };
    private readonly Option<int> _batch = new("--batch-size") { Description = "Prompts per step.", DefaultValueFactory = _ => TrainingOptions.Defaults.BatchSize };

    private readonly Option<int> _maxSkipped = new("--max-skipped-steps")
    {
        Description = "Steps with a non-finite loss or gradient each trial may skip (update not applied) before it is Diverged; 0 (default) stops at the first.",
        DefaultValueFactory = _ => 0,
    };
    private readonly Option<double> _divergenceRatio = new("--divergence-ratio")
    {
        Description = "A trial whose training loss exceeds this multiple of its first loss is Diverged; 0 turns the rule off (only non-finite values stop a trial), as deep models need: their single-step spikes from rare prompts would mark good learning rates as diverged.",
        DefaultValueFactory = _ => AutoMLExperiment.Defaults.DivergenceLossRatio,
    };
    private readonly Option<string> _sampling = new("--sampling") { Description = "Training batches of every trial: tokens (the paper's code) or moments (same law, faster; fast engine, Gaussian linear presets).", DefaultValueFactory = _ => "tokens" };
    private readonly Option<int> _parallel;
    private readonly Option<uint?> _timeLimit = new("--time-limit") { Description = "Hard stop after this many seconds (running jobs go back to the queue; run again to resume)." };
    private readonly Option<string> _study = new("--study") { Description = "Study name in the storage.", DefaultValueFactory = _ => "tune" };
    private readonly Option<string?> _storage = new("--storage")
    {
        Description = $"SQLite file, or PostgreSQL connection string (Host=...;Database=...;Username=...) shared by workers. Default: ${StudyStorage.EnvironmentVariable}, else <out>/study.db.",
    };
    private readonly Option<string?> _output;
    private readonly Option<double> _heartbeat = new("--heartbeat") { Description = "Seconds between heartbeats of a running job.", DefaultValueFactory = _ => WorkerOptions.Defaults.HeartbeatSeconds };
    private readonly Option<double> _grace = new("--grace") { Description = "Seconds without a heartbeat after which a job is taken from its (dead) worker.", DefaultValueFactory = _ => WorkerOptions.Defaults.GraceSeconds };
    private readonly Option<double> _retryFor = new("--retry-for") { Description = "Seconds to keep retrying while the storage is unreachable (server restart, network).", DefaultValueFactory = _ => PostgresStudyStorage.DefaultRetryFor.TotalSeconds };
    private readonly Option<double> _poll = new("--poll") { Description = "Seconds between looks at the queue while other workers finish a round.", DefaultValueFactory = _ => WorkerOptions.Defaults.PollSeconds };

    public TuneOptions(int defaultParallel, string? defaultOutput)
    {
        _parallel = new Option<int>("--parallel") { Description = "Jobs this process runs at once, one thread each.", DefaultValueFactory = _ => defaultParallel };
        _output = new Option<string?>("--out")
        {
            Description = defaultOutput is null ? "Folder for report.md, plots and tables when the study completes (default: none)." : "Folder for the report, plots and tables.",
            DefaultValueFactory = _ => defaultOutput,
        };
    }

    private IEnumerable<Option> RecipeOptions => new Option[] { _preset, _optimizers, _steps, _budget, _tuner, _gridPoints, _confirm, _seed, _layers, _batch, _sampling, _dimension, _context, _maxSkipped, _divergenceRatio };

    /// <summary>Adds every flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in RecipeOptions.Concat(new Option[] { _parallel, _timeLimit, _study, _storage, _output, _heartbeat, _grace, _poll, _retryFor }))
            command.Options.Add(option);
    }

    public TuneRecipe Recipe(ParseResult p) => new(p.GetValue(_preset)!, p.GetValue(_optimizers)!, p.GetValue(_steps), p.GetValue(_budget), p.GetValue(_tuner)!,
        p.GetValue(_gridPoints), p.GetValue(_confirm), p.GetValue(_seed), p.GetValue(_layers), p.GetValue(_batch), p.GetValue(_sampling)!.Trim().ToLowerInvariant(),
        p.GetValue(_dimension), p.GetValue(_context), p.GetValue(_maxSkipped), p.GetValue(_divergenceRatio));

    /// <summary>The recipe flags the user typed (not defaults).</summary>
    public IReadOnlySet<string> ExplicitFlags(ParseResult p)
        => RecipeOptions.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();

    public TuneSession Session(ParseResult p, bool worker) => new(p.GetValue(_study)!, p.GetValue(_storage), p.GetValue(_output), p.GetValue(_parallel),
        p.GetValue(_timeLimit), p.GetValue(_heartbeat), p.GetValue(_grace), p.GetValue(_poll), p.GetValue(_retryFor), worker);
}
