using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
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
    /// <param name="lossFactory">Engine for the diagnostics; null uses <see cref="DiagnosticEngines.CreateLoss(ModelOptions)"/>.</param>
    /// <param name="progress">Per-unit progress.</param>
    /// <param name="cancellationToken">Stops between and inside units; throws <see cref="OperationCanceledException"/>
    /// (finished units stay in the store).</param>
    public static ComparisonResult Run(ComparisonVariant variant, ComparisonOptions options, IStudyStore? store = null,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory = null, IProgress<ComparisonProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Check.NotNull(variant, nameof(variant));
        Check.NotNull(options, nameof(options));
        NoiseStudyResult? noise = null;
        if (options.Noise is not null)
        {
            string key = NoiseKey(variant);
            string fingerprint = Fingerprint(variant.Adam.Model, variant.Adam.Task, options.Noise, options.NoiseSeed, variant.Adam.Training.Device);
            noise = LoadOrRun(store, key, fingerprint, NoiseStudyResult.FromJson, r => r.ToJson(), progress, () =>
                NoiseStudy.AtInitialisation(variant.Adam, options.NoiseSeed, options.Noise, lossFactory, Forward(progress, key), cancellationToken));
        }
        var units = options.Seeds.SelectMany(seed => Optimizers.Select(optimizer => (Seed: seed, Optimizer: optimizer))).ToArray();
        var results = new TrajectoryResult[units.Length];
        bool parallel = options.ParallelRuns > 1 && units.Length > 1;
        Func<ModelOptions, IDifferentiableLoss> factory = lossFactory ?? (parallel
            ? model => DiagnosticEngines.CreateLoss(model, threads: 1)
            : DiagnosticEngines.CreateLoss);
        void RunUnit(int i)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (seed, optimizer) = units[i];
            RunSpec spec = variant.For(optimizer, seed);
            if (parallel) spec = spec with { Training = spec.Training with { Threads = 1 } };
            results[i] = RunTrajectory(RunKey(variant, optimizer, seed), spec, options.Trajectory, store, factory, progress, cancellationToken);
        }
        if (parallel) InParallel(units.Length, options.ParallelRuns, RunUnit);
        else for (int i = 0; i < units.Length; i++) RunUnit(i);

        List<TrajectoryResult> Of(OptimizerKind kind) => results.Where((_, i) => units[i].Optimizer == kind).ToList();
        return new ComparisonResult(variant, Of(OptimizerKind.SgdMomentum), Of(OptimizerKind.Adam), noise);
    }

    /// <summary>One stored unit outside a comparison: loads <paramref name="key"/> from the store, or runs
    /// <see cref="TrajectoryStudy.Run"/> for <paramref name="spec"/> and stores the result.</summary>
    public static TrajectoryResult RunTrajectory(string key, RunSpec spec, TrajectoryOptions options, IStudyStore? store = null,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory = null, IProgress<ComparisonProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Check.NotNull(spec, nameof(spec));
        Check.NotNull(options, nameof(options));
        // The thread count does not change results (prompt streams are per prompt), so it is not part of the fingerprint.
        RunSpec identity = spec with { Training = spec.Training with { Threads = null } };
        return LoadOrRun(store, key, Fingerprint(identity, options), TrajectoryResult.FromJson, r => r.ToJson(), progress,
            () => TrajectoryStudy.Run(spec, options, lossFactory, Forward(progress, key), cancellationToken));
    }

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
        IProgress<ComparisonProgress>? progress, Func<T> run)
    {
        if (store?.Load(key, fingerprint) is string json)
        {
            try
            {
                T cached = read(json);
                progress?.Report(new ComparisonProgress(key, new StudyProgress(StudyPhase.Training, 1, 1), true, true));
                return cached;
            }
            catch (JsonException)
            {
                // recompute a unit that no longer parses
            }
        }
        T result = run();
        store?.Save(key, fingerprint, write(result));
        progress?.Report(new ComparisonProgress(key, new StudyProgress(StudyPhase.Training, 1, 1), false, true));
        return result;
    }

    // Parallel.For as Runner.TrainAll uses it, but a failure surfaces as itself (a cancellation stays an
    // OperationCanceledException) rather than wrapped in an AggregateException.
    private static void InParallel(int count, int degree, Action<int> unit)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = degree }, unit);
        }
        catch (AggregateException e)
        {
            Exception first = e.InnerExceptions.FirstOrDefault(x => x is OperationCanceledException) ?? e.InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    private static IProgress<StudyProgress>? Forward(IProgress<ComparisonProgress>? progress, string key)
        => progress is null ? null : new InlineProgress<StudyProgress>(p => progress.Report(new ComparisonProgress(key, p, false)));
}
