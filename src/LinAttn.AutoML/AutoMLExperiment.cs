using LinAttn.AutoML.Internal;
using LinAttn.AutoML.Tuners;
using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>
/// An optimizer and learning-rate search for a linear-attention task, shaped like ML.NET AutoML's
/// <c>AutoMLExperiment</c> (same setter names and semantics) and extended with per-optimizer sub-spaces, step budgets,
/// rungs, a scheduler, parallel trials and a resumable study.
/// </summary>
/// <example><code>
/// var experiment = new AutoMLExperiment(PaperPresets.Get("setting1", OptimizerKind.Adam), seed: 0)
///     .AddOptimizer&lt;SgdMomentumSearchOptions&gt;("sgdm")
///     .AddOptimizer&lt;AdamSearchOptions&gt;("adam")
///     .SetStepBudget(stepsPerTrial: 2000, totalSearchSteps: 12_000)
///     .SetCheckpoint("runs/tune/study.db");
/// ExperimentResult result = await experiment.RunAsync();
/// </code></example>
public sealed partial class AutoMLExperiment
{
    /// <summary>Default values, defined once.</summary>
    public static class Defaults
    {
        /// <summary>2,000 steps per trial: Setting 1 separates Adam from SGDM by then (the README's quick start).</summary>
        public const int StepsPerTrial = 2000;

        /// <summary>A trial whose loss exceeds 10× its first loss is Diverged (the probe's guard).</summary>
        public const double DivergenceLossRatio = 10;

        /// <summary>Abort after 5 failed trials in a row.</summary>
        public const int MaxConsecutiveFailures = 5;

        /// <summary>The study name when none is given.</summary>
        public const string StudyName = "linattn";
    }

    private readonly RunSpec _task;
    private readonly ulong _seed;
    private readonly List<(string Name, Type Type, object? Instance, double? Min, double? Max)> _optimizers = new();
    private (Type Type, object? Instance) _shared = (typeof(SharedSearchOptions), null);
    private int _stepsPerTrial = Defaults.StepsPerTrial;
    private long? _searchBudget;
    private double? _timeLimit;
    private int? _maxModels;
    private Func<SearchContext, ITuner>? _tunerFactory;
    private string _tunerName = "default";
    private DefaultTunerOptions _defaultTuner = new();
    private ITrialScheduler _scheduler = new AshaScheduler();
    private Func<RunSpec, TrainingRun>? _start;
    private ITrialRunner? _runner;
    private IMonitor? _monitor;
    private string? _checkpoint;
    private IStudyStorage? _storage;
    private string _studyName = Defaults.StudyName;
    private string? _studyAttributes;
    private WorkerOptions _worker = new();
    private RegressionMetric _metric = RegressionMetric.MeanSquaredError;
    private int _maxConcurrent = Math.Max(1, Environment.ProcessorCount);
    private int _maxFailures = Defaults.MaxConsecutiveFailures;
    private double? _divergenceRatio = Defaults.DivergenceLossRatio;
    private ModelExport _export = ModelExport.Default;
    private double? _labelVariance;

    /// <summary>Creates an experiment on <paramref name="task"/> (model, task and the training options trials keep;
    /// batch size, clipping and warm-up come from the shared options).</summary>
    /// <param name="task">The base run (validated).</param>
    /// <param name="seed">The experiment seed: the training seed of every search trial, and the root of all randomness.</param>
    public AutoMLExperiment(RunSpec task, ulong seed = 0)
    {
        _task = Guard.NotNull(task);
        _task.Validate();
        _seed = seed;
    }

    /// <summary>The base run every trial derives from (validated).</summary>
    internal RunSpec BaseSpec => _task;

    internal double? DivergenceLossRatio => _divergenceRatio;

    /// <summary>Stops the experiment after this much wall time (a hard stop: the budget in steps is what makes results
    /// reproducible). Running trials end Cancelled and are rerun on resume.</summary>
    public AutoMLExperiment SetTrainingTimeInSeconds(uint seconds)
    {
        Guard.Positive((int)Math.Min(seconds, int.MaxValue), "trainingTimeInSeconds");
        _timeLimit = seconds;
        return this;
    }

    /// <summary>Creates at most this many trials (confirmation runs included).</summary>
    public AutoMLExperiment SetMaxModelToExplore(int maxModels)
    {
        Guard.Positive(maxModels, nameof(maxModels));
        _maxModels = maxModels;
        return this;
    }

    /// <summary>The step budgets: every trial's horizon, and the total steps of the search (probes, exploration,
    /// exploitation; confirmation runs come on top). Default total: 3 × steps per trial per optimizer, i.e. 30% of a
    /// 10-point learning-rate grid trained to the same horizon.</summary>
    public AutoMLExperiment SetStepBudget(int stepsPerTrial, long? totalSearchSteps = null)
    {
        Guard.Positive(stepsPerTrial, nameof(stepsPerTrial));
        if (totalSearchSteps is long total) Guard.Positive(total, nameof(totalSearchSteps));
        _stepsPerTrial = stepsPerTrial;
        _searchBudget = totalSearchSteps;
        return this;
    }

    /// <summary>Uses <paramref name="tuner"/> (it must already know the search space).</summary>
    public AutoMLExperiment SetTuner(ITuner tuner)
    {
        Guard.NotNull(tuner);
        return SetTuner(_ => tuner, tuner.GetType().Name);
    }

    /// <summary>Builds the tuner from the experiment's search space when the run starts.</summary>
    public AutoMLExperiment SetTuner(Func<SearchContext, ITuner> factory) => SetTuner(factory, "custom");

    private AutoMLExperiment SetTuner(Func<SearchContext, ITuner> factory, string name)
    {
        _tunerFactory = Guard.NotNull(factory);
        _tunerName = name;
        return this;
    }

    /// <summary>The default strategy (probe, Halton exploration under the scheduler, exploitation, confirmation).</summary>
    public AutoMLExperiment SetDefaultTuner(DefaultTunerOptions? options = null)
    {
        _defaultTuner = options ?? new DefaultTunerOptions();
        _defaultTuner.Validate();
        _tunerFactory = null;
        _tunerName = "default";
        return this;
    }

    /// <summary>A log-spaced learning-rate grid per optimizer (baseline). Use with <see cref="FullBudgetScheduler"/> for a plain grid.</summary>
    public AutoMLExperiment SetGridSearchTuner(int pointsPerOptimizer = 10)
    {
        Guard.Positive(pointsPerOptimizer, nameof(pointsPerOptimizer));
        return SetTuner(c => new GridSearchTuner(c.SearchSpace, pointsPerOptimizer), $"grid{pointsPerOptimizer}");
    }

    /// <summary>Uniform random configurations (log-uniform learning rates), optimizers in turn.</summary>
    public AutoMLExperiment SetRandomSearchTuner() => SetTuner(c => new RandomSearchTuner(c.SearchSpace, c.Seed), "random");

    /// <summary>The scheduler (default: <see cref="AshaScheduler"/> with η = 3 and three rungs).</summary>
    public AutoMLExperiment SetScheduler(ITrialScheduler scheduler)
    {
        _scheduler = Guard.NotNull(scheduler);
        return this;
    }

    /// <summary>Runs trials with <paramref name="runner"/> instead of the library's training loop.</summary>
    public AutoMLExperiment SetTrialRunner(ITrialRunner runner)
    {
        _runner = Guard.NotNull(runner);
        return this;
    }

    /// <summary>Keeps the default runner but creates each trial's run with <paramref name="start"/> (e.g. batches from an IDataView).</summary>
    public AutoMLExperiment SetTrialRunner(Func<RunSpec, TrainingRun> start)
    {
        _start = Guard.NotNull(start);
        _runner = null;
        return this;
    }

    /// <summary>Receives progress.</summary>
    public AutoMLExperiment SetMonitor(IMonitor monitor)
    {
        _monitor = Guard.NotNull(monitor);
        return this;
    }

    /// <summary>Stores the study in the SQLite database file <paramref name="databasePath"/>, or in PostgreSQL when it is a
    /// connection string (<c>Host=...;Database=...;Username=...</c>; see <see cref="StudyStorage.Open"/>). An existing
    /// compatible study of that name resumes where it stopped, and other workers may share it.</summary>
    public AutoMLExperiment SetCheckpoint(string databasePath, string? studyName = null)
    {
        Guard.That(!string.IsNullOrWhiteSpace(databasePath), nameof(databasePath), "databasePath must name a file or be a PostgreSQL connection string.");
        _checkpoint = databasePath;
        _storage = null;
        if (studyName is not null) SetStudyName(studyName);
        return this;
    }

    /// <summary>How this experiment works as one of several workers sharing its study (heartbeat, grace period, polling,
    /// log). On a <see cref="SqliteStudyStorage"/> or <see cref="PostgresStudyStorage"/> every experiment is a worker:
    /// start the same experiment in several processes, on one machine or many, and they share the jobs; the trial table is
    /// the one a single process makes.</summary>
    public AutoMLExperiment SetWorker(WorkerOptions options)
    {
        Guard.NotNull(options);
        options.Validate();
        _worker = options;
        return this;
    }

    /// <summary>Free-form JSON stored with a new study and not compared on resume (see <see cref="StudyInfo.Attributes"/>).</summary>
    public AutoMLExperiment SetStudyAttributes(string? json)
    {
        _studyAttributes = json;
        return this;
    }

    /// <summary>Stores the study in <paramref name="storage"/> (the experiment does not dispose it).</summary>
    public AutoMLExperiment SetStorage(IStudyStorage storage, string? studyName = null)
    {
        _storage = Guard.NotNull(storage);
        _checkpoint = null;
        if (studyName is not null) SetStudyName(studyName);
        return this;
    }

    /// <summary>The study's name in its storage.</summary>
    public AutoMLExperiment SetStudyName(string studyName)
    {
        Guard.That(!string.IsNullOrWhiteSpace(studyName), nameof(studyName), "studyName must not be empty.");
        _studyName = studyName;
        return this;
    }

    /// <summary>The reported metric (ranking is the same for every choice).</summary>
    public AutoMLExperiment SetRegressionMetric(RegressionMetric metric)
    {
        Guard.That(Enum.IsDefined(metric), nameof(metric), $"metric must be one of {string.Join(", ", Enum.GetNames<RegressionMetric>())}, but was {metric}.");
        _metric = metric;
        return this;
    }

    /// <summary>Trials run at once, one thread each (default: the number of cores). Results do not depend on it.</summary>
    public AutoMLExperiment SetMaxConcurrentTrials(int trials)
    {
        Guard.Positive(trials, nameof(trials));
        _maxConcurrent = trials;
        return this;
    }

    /// <summary>Abort after this many failed trials in a row (default 5).</summary>
    public AutoMLExperiment SetMaxConsecutiveFailures(int failures)
    {
        Guard.Positive(failures, nameof(failures));
        _maxFailures = failures;
        return this;
    }

    internal AutoMLExperiment WithExport(ModelExport export, double labelVariance)
    {
        _export = export;
        _labelVariance = labelVariance;
        return this;
    }

    /// <summary>Divergence guard k: a trial whose training loss exceeds k × its first loss is Diverged (null: only
    /// non-finite values). Range: &gt; 1.</summary>
    public AutoMLExperiment SetDivergenceLossRatio(double? ratio)
    {
        if (ratio is double r) Guard.That(r > 1, nameof(ratio), $"ratio must be > 1, but was {r}.");
        _divergenceRatio = ratio;
        return this;
    }
}
