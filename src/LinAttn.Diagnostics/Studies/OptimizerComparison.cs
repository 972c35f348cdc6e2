using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LinAttn.Diagnostics.Sharing;
using LinAttn.Model;
using LinAttn.Training;

namespace LinAttn.Diagnostics.Studies;

/// <summary>
/// The paper's basic experiment for one configuration: train it with SGDM and with Adam for several seeds, compute the
/// trajectory diagnostics of every run, and the gradient noise at initialisation. Each unit (one run, the noise) is
/// stored as soon as it finishes when a store is given, and loaded instead of recomputed on a rerun.
/// </summary>
public static class OptimizerComparison
{
    private static readonly JsonSerializerOptions FingerprintJson = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The optimizers compared, in report order.</summary>
    public static IReadOnlyList<OptimizerKind> Optimizers { get; } = new[] { OptimizerKind.SgdMomentum, OptimizerKind.Adam };

    /// <summary>Runs (or loads) every unit of <paramref name="variant"/>.</summary>
    /// <param name="variant">The configuration.</param>
    /// <param name="options">Seeds, trajectory diagnostics, noise.</param>
    /// <param name="store">Keeps finished units; null keeps nothing.</param>
    /// <param name="lossFactory">Engine for the diagnostics; null uses <see cref="DiagnosticEngines.CreateLoss(ModelOptions)"/>
    /// for the runs and <see cref="DiagnosticEngines.CreateGradientLoss"/> in <see cref="GradientNoiseOptions.Precision"/>
    /// for the noise.</param>
    /// <param name="progress">Per-unit progress.</param>
    /// <param name="cancellationToken">Stops between and inside units; throws <see cref="OperationCanceledException"/>
    /// (finished units stay in the store).</param>
    public static ComparisonResult Run(ComparisonVariant variant, ComparisonOptions options, IStudyStore? store = null,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory = null, IProgress<ComparisonProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Check.NotNull(variant, nameof(variant));
        Check.NotNull(options, nameof(options));
        return RunAll(new[] { (variant, options) }, store, lossFactory, progress, cancellationToken)[0];
    }

    /// <summary>
    /// Runs (or loads) every unit of several comparisons as one pool of work, so that the cores do not wait at the end
    /// of each comparison: the SGDM and Adam runs of a seed form one unit and train in lock step on the same batches
    /// (<see cref="TrajectoryStudy.RunInLockstep"/>: each batch is sampled once for both), and the noise of each
    /// comparison is one more unit. Up to the largest <see cref="ComparisonOptions.ParallelRuns"/> units run at once,
    /// each on one thread: the seed pairs first, the longest (by a rough estimate) first, then the noise units, whose
    /// minibatches the threads with no unit left to start share. Results equal running each comparison alone.
    /// </summary>
    /// <param name="studies">The comparisons.</param>
    /// <param name="store">Keeps finished units (each run and each noise separately); null keeps nothing.</param>
    /// <param name="lossFactory">Engine for the diagnostics; null uses <see cref="DiagnosticEngines.CreateLoss(ModelOptions)"/>
    /// for the runs and <see cref="DiagnosticEngines.CreateGradientLoss"/> in <see cref="GradientNoiseOptions.Precision"/>
    /// for the noise.</param>
    /// <param name="progress">Per-unit progress.</param>
    /// <param name="cancellationToken">Stops between and inside units; throws <see cref="OperationCanceledException"/>
    /// (finished units stay in the store).</param>
    /// <returns>One result per comparison, in the order of <paramref name="studies"/>.</returns>
    public static ComparisonResult[] RunAll(IReadOnlyList<(ComparisonVariant Variant, ComparisonOptions Options)> studies,
        IStudyStore? store = null, Func<ModelOptions, IDifferentiableLoss>? lossFactory = null,
        IProgress<ComparisonProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Check.NotNull(studies, nameof(studies));
        foreach (var (variant, options) in studies)
        {
            Check.NotNull(variant, nameof(studies));
            Check.NotNull(options, nameof(studies));
        }
        var runs = studies.Select(s => new TrajectoryResult[s.Options.Seeds.Count * Optimizers.Count]).ToArray();
        var noises = new NoiseStudyResult?[studies.Count];
        var units = new List<(double Cost, bool Divisible, Action<UnitPool?, Func<ModelOptions, IDifferentiableLoss>> Run)>();
        for (int s = 0; s < studies.Count; s++)
        {
            int study = s;
            var (variant, options) = studies[s];
            double seedCost = Optimizers.Sum(o => EstimatedCost(variant.For(o, 0), options.Trajectory));
            for (int k = 0; k < options.Seeds.Count; k++)
            {
                int seedIndex = k;
                units.Add((seedCost, false, (pool, factory) => RunSeed(studies[study], seedIndex, runs[study], pool is not null, store, factory, progress, cancellationToken)));
            }
            if (options.Noise is GradientNoiseOptions noise)
                units.Add((EstimatedCost(variant.Adam, noise), true, (pool, _) => noises[study] = RunNoise(studies[study], pool, store, lossFactory, progress, cancellationToken)));
        }
        // Seed pairs longest first, so that the ones left for the end are short; the noise units last, because idle
        // workers can share their minibatches, so the cores finish together even when the estimates are off (a run
        // that diverges stops early).
        units = units.OrderBy(u => u.Divisible).ThenByDescending(u => u.Cost).ToList();

        int degree = studies.Count == 0 ? 1 : studies.Max(s => s.Options.ParallelRuns);
        bool inParallel = degree > 1 && units.Count > 1;
        Func<ModelOptions, IDifferentiableLoss> factory = lossFactory ?? (inParallel
            ? model => DiagnosticEngines.CreateLoss(model, threads: 1)
            : DiagnosticEngines.CreateLoss);
        if (inParallel) UnitPool.Run(units.Count, degree, (i, pool) => units[i].Run(pool, factory));
        else foreach (var unit in units) unit.Run(null, factory);

        return studies.Select((s, i) =>
        {
            List<TrajectoryResult> Of(OptimizerKind kind) => runs[i].Where((_, j) => Optimizers[j % Optimizers.Count] == kind).ToList();
            return new ComparisonResult(s.Variant, Of(OptimizerKind.SgdMomentum), Of(OptimizerKind.Adam), noises[i]);
        }).ToArray();
    }

    // Rough relative costs, only to order the work: per prompt, the S-form's layers cost ~(d+1)³ each (forward and
    // backward; softmax and ReLU scores need the token-level form, ~(n+1)²(d+1)) and S₀ and sampling ~(n+1)(d+1)²;
    // a float64 gradient for the diagnostics counts as two.
    private static double PromptCost(RunSpec spec)
    {
        double k = spec.Model.Dimension + 1, tokens = spec.Task.ContextLength + 1;
        double layer = spec.Model.Activation == ScoreActivation.Identity ? k * k * k : tokens * tokens * k;
        return 3 * spec.Model.Layers * spec.Model.Heads * layer + tokens * k * k;
    }

    private static double EstimatedCost(RunSpec spec, TrajectoryOptions options)
    {
        TrainingOptions t = spec.Training;
        double gradients = options.ConditionSteps.Count(s => s <= t.Steps) * (spec.Model.ParameterCount + 1.0)
                           + 3.0 * options.SmoothnessSteps.Count(s => s < t.Steps);
        return PromptCost(spec) * ((double)t.Steps * t.BatchSize + 2 * gradients * t.EvaluationBatchSize);
    }

    private static double EstimatedCost(RunSpec spec, GradientNoiseOptions noise)
        => PromptCost(spec) * (noise.Precision == Precision.Float64 ? 2.0 : 1.0) * (noise.Minibatches + noise.LargeBatchMultiple) * noise.MinibatchSize;

    // One seed of a comparison: the runs not already stored, trained together on the same batches.
    private static void RunSeed((ComparisonVariant Variant, ComparisonOptions Options) study, int seedIndex, TrajectoryResult[] results,
        bool parallel, IStudyStore? store, Func<ModelOptions, IDifferentiableLoss> factory, IProgress<ComparisonProgress>? progress,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (variant, options) = study;
        ulong seed = options.Seeds[seedIndex];
        var pending = new List<(int Slot, string Key, string Fingerprint, RunSpec Spec)>();
        for (int o = 0; o < Optimizers.Count; o++)
        {
            int slot = seedIndex * Optimizers.Count + o;
            RunSpec spec = variant.For(Optimizers[o], seed);
            if (parallel) spec = spec with { Training = spec.Training with { Threads = 1 } };
            string key = RunKey(variant, Optimizers[o], seed);
            string fingerprint = RunFingerprint(spec, options.Trajectory);
            if (TryLoad(store, key, fingerprint, TrajectoryResult.FromJson, progress) is TrajectoryResult cached) results[slot] = cached;
            else pending.Add((slot, key, fingerprint, spec));
        }
        if (pending.Count == 0) return;
        // Runs that would not draw the same batches (a variant whose two runs differ in batch size or task) train one by one.
        var groups = pending.All(p => Runner.DrawSameBatches(pending[0].Spec, p.Spec))
            ? new[] { pending }
            : pending.Select(p => new List<(int Slot, string Key, string Fingerprint, RunSpec Spec)> { p }).ToArray();
        foreach (var group in groups)
        {
            TrajectoryStudy.RunInLockstep(group.Select(p => p.Spec).ToArray(), options.Trajectory, factory,
                progress is null ? null : group.Select(p => Forward(progress, p.Key)).ToArray(), cancellationToken,
                (i, result) =>
                {
                    var (slot, key, fingerprint, _) = group[i];
                    Save(store, key, fingerprint, result.ToJson(), progress);
                    results[slot] = result;
                });
        }
    }

    // The noise computes in its own precision (GradientNoiseOptions.Precision) unless the caller chose the engine. In a
    // pool it runs on one thread, and the pool's idle workers help with its minibatches.
    private static NoiseStudyResult RunNoise((ComparisonVariant Variant, ComparisonOptions Options) study, UnitPool? pool, IStudyStore? store,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory, IProgress<ComparisonProgress>? progress, CancellationToken cancellationToken)
    {
        var (variant, options) = study;
        string key = NoiseKey(variant);
        string fingerprint = Fingerprint(variant.Adam.Model, variant.Adam.Task, options.Noise, options.NoiseSeed, variant.Adam.Training.Device);
        RunSpec spec = pool is not null ? variant.Adam with { Training = variant.Adam.Training with { Threads = 1 } } : variant.Adam;
        return LoadOrRun(store, key, fingerprint, NoiseStudyResult.FromJson, r => r.ToJson(), progress, () =>
            NoiseStudy.AtInitialisation(spec, options.NoiseSeed, options.Noise!, lossFactory, Forward(progress, key), cancellationToken, pool));
    }

    /// <summary>One stored unit outside a comparison: loads <paramref name="key"/> from the store, or runs
    /// <see cref="TrajectoryStudy.Run"/> for <paramref name="spec"/> and stores the result.</summary>
    public static TrajectoryResult RunTrajectory(string key, RunSpec spec, TrajectoryOptions options, IStudyStore? store = null,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory = null, IProgress<ComparisonProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Check.NotNull(spec, nameof(spec));
        Check.NotNull(options, nameof(options));
        return LoadOrRun(store, key, RunFingerprint(spec, options), TrajectoryResult.FromJson, r => r.ToJson(), progress,
            () => TrajectoryStudy.Run(spec, options, lossFactory, Forward(progress, key), cancellationToken));
    }

    // The thread count does not change results (prompt streams are per prompt), so it is not part of the fingerprint.
    private static string RunFingerprint(RunSpec spec, TrajectoryOptions options)
        => Fingerprint(spec with { Training = spec.Training with { Threads = null } }, options);

    /// <summary>The store key of one run: "{label}-{sgdm|adam}-seed{seed}".</summary>
    public static string RunKey(ComparisonVariant variant, OptimizerKind optimizer, ulong seed)
        => $"{variant.Label}-{OptimizerOptions.ShortName(optimizer)}-seed{seed}";

    /// <summary>The store key of the noise: "{label}-noise".</summary>
    public static string NoiseKey(ComparisonVariant variant) => $"{variant.Label}-noise";

    /// <summary>A short hash of the JSON of every object that determines a unit's result.</summary>
    public static string Fingerprint(params object?[] parts)
    {
        string json = "v1|" + string.Join("|", parts.Select(p => JsonSerializer.Serialize(p, p?.GetType() ?? typeof(object), FingerprintJson)));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
    }

    private static T LoadOrRun<T>(IStudyStore? store, string key, string fingerprint, Func<string, T> read, Func<T, string> write,
        IProgress<ComparisonProgress>? progress, Func<T> run) where T : class
    {
        if (TryLoad(store, key, fingerprint, read, progress) is T cached) return cached;
        T result = run();
        Save(store, key, fingerprint, write(result), progress);
        return result;
    }

    private static T? TryLoad<T>(IStudyStore? store, string key, string fingerprint, Func<string, T> read, IProgress<ComparisonProgress>? progress)
        where T : class
    {
        if (store?.Load(key, fingerprint) is not string json) return null;
        try
        {
            T cached = read(json);
            progress?.Report(new ComparisonProgress(key, new StudyProgress(StudyPhase.Training, 1, 1), true, true));
            return cached;
        }
        catch (JsonException)
        {
            return null;   // recompute a unit that no longer parses
        }
    }

    private static void Save(IStudyStore? store, string key, string fingerprint, string json, IProgress<ComparisonProgress>? progress)
    {
        store?.Save(key, fingerprint, json);
        progress?.Report(new ComparisonProgress(key, new StudyProgress(StudyPhase.Training, 1, 1), false, true));
    }

    private static IProgress<StudyProgress>? Forward(IProgress<ComparisonProgress>? progress, string key)
        => progress is null ? null : new InlineProgress<StudyProgress>(p => progress.Report(new ComparisonProgress(key, p, false)));
}
