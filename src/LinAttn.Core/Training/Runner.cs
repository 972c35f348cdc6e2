using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using TorchSharp;

namespace LinAttn.Training;

/// <summary>
/// The facade for the common case: train a <see cref="RunSpec"/> on its synthetic task, online, as in the paper.
/// For user data or a custom engine, call <see cref="Trainer.Train"/> directly.
/// </summary>
public static class Runner
{
    /// <summary>Trains <paramref name="spec"/> from θ_0 drawn with its seed.</summary>
    /// <param name="spec">The experiment (validated).</param>
    /// <param name="progress">Receives a report at every evaluation and at the end.</param>
    /// <param name="cancellationToken">Stops the run between steps (status Cancelled).</param>
    /// <param name="initialParameters">Optional θ_0 overriding the seeded initialisation.</param>
    public static TrainingResult Train(RunSpec spec, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default, double[]? initialParameters = null)
    {
        using TrainingRun run = Start(spec, initialParameters);
        return run.Advance(spec.Training.Steps, progress, cancellationToken)!;
    }

    /// <summary>
    /// Prepares <paramref name="spec"/> as a <see cref="TrainingRun"/> at step 0, to advance in pieces
    /// (<see cref="TrainingRun.Advance"/>); advancing it to <see cref="TrainingOptions.Steps"/> equals <see cref="Train"/>.
    /// </summary>
    /// <param name="spec">The experiment (validated).</param>
    /// <param name="initialParameters">Optional θ_0 overriding the seeded initialisation.</param>
    /// <returns>The run; dispose it when done.</returns>
    public static TrainingRun Start(RunSpec spec, double[]? initialParameters = null)
        => Start(spec, initialParameters, source: null);

    private static TrainingRun Start(RunSpec spec, double[]? initialParameters, IPromptBatchSource? source)
    {
        spec.Validate();
        TrainingOptions training = spec.Training;
        if (training.Threads is int threads) torch.set_num_threads(threads);
        var sampler = new PromptSampler(spec.Task);
        PromptBatch? evaluation = training.EvaluateEvery > 0
            ? sampler.Sample(training.EvaluationBatchSize, training.EvaluationSeed, StreamPurpose.Evaluation, 0, training.Threads)
            : null;
        double[] theta0 = initialParameters ?? LinearTransformer.InitialParameters(spec.Model, training.Seed);
        ITrainingBackend backend = CreateBackend(spec.Model, training, theta0);
        source ??= new SyntheticBatchSource(sampler, training.BatchSize, training.Seed, training.Threads, training.Sampling);
        return new TrainingRun(backend, training, source, evaluation);
    }

    /// <summary>
    /// Trains runs that draw the same training batches (equal <see cref="RunSpec.Task"/>, <see cref="TrainingOptions.BatchSize"/>,
    /// <see cref="TrainingOptions.Seed"/> and <see cref="TrainingOptions.Sampling"/>: e.g. SGDM and Adam on one seed) in lock step on the calling thread, sampling
    /// each step's batch once for all of them. Each result equals what <see cref="Train"/> gives for that spec alone
    /// (only the wall-clock time differs: the run that draws a batch is charged for it); a run that diverges drops out
    /// and the others go on.
    /// </summary>
    /// <param name="specs">The runs (validated); their models, optimizers, schedules and horizons may differ.</param>
    /// <param name="progress">Per run, by index: a report at every evaluation and at the end; null entries or a null
    /// list report nothing.</param>
    /// <param name="cancellationToken">Stops every run between steps (status Cancelled).</param>
    /// <exception cref="ArgumentException">The specs would not draw the same batches.</exception>
    public static TrainingResult[] TrainInLockstep(IReadOnlyList<RunSpec> specs, IReadOnlyList<IProgress<TrainingProgress>?>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (specs.Count == 0) return Array.Empty<TrainingResult>();
        foreach (RunSpec spec in specs) spec.Validate();
        if (progress is not null && progress.Count != specs.Count)
            throw new ArgumentException($"progress must hold one entry per spec ({specs.Count}), but held {progress.Count}.", nameof(progress));
        RunSpec first = specs[0];
        for (int i = 1; i < specs.Count; i++)
        {
            if (!DrawSameBatches(first, specs[i]))
                throw new ArgumentException($"specs[{i}] ('{specs[i].Name}') must draw the same batches as specs[0] ('{first.Name}'): " +
                    "equal Task, Training.BatchSize, Training.Seed and Training.Sampling.", nameof(specs));
        }

        var shared = new LockstepBatchSource(new SyntheticBatchSource(new PromptSampler(first.Task), first.Training.BatchSize,
            first.Training.Seed, first.Training.Threads, first.Training.Sampling));
        var runs = new TrainingRun?[specs.Count];
        try
        {
            for (int i = 0; i < specs.Count; i++) runs[i] = Start(specs[i], null, shared);
            var results = new TrainingResult[specs.Count];
            int longest = specs.Max(s => s.Training.Steps);
            for (int t = 1; t <= longest; t++)
            {
                for (int i = 0; i < runs.Length; i++)
                {
                    TrainingRun run = runs[i]!;
                    if (run.Result is not null || t > run.TotalSteps) continue;
                    if (run.Advance(t, progress?[i], cancellationToken) is TrainingResult done) results[i] = done;
                }
            }
            return results;
        }
        finally
        {
            foreach (TrainingRun? run in runs) run?.Dispose();
        }
    }

    /// <summary>Whether two specs draw the same training batches (see <see cref="TrainInLockstep"/>).</summary>
    public static bool DrawSameBatches(RunSpec a, RunSpec b)
        => Equals(a.Task, b.Task) && a.Training.BatchSize == b.Training.BatchSize && a.Training.Seed == b.Training.Seed
            && a.Training.Sampling == b.Training.Sampling;

    /// <summary>
    /// Trains several runs concurrently, each on one thread (so <see cref="TrainingOptions.Threads"/> is set to 1):
    /// on a small machine, independent runs side by side use the cores better than one run split across them.
    /// Results come back in the order of <paramref name="specs"/>; results are identical to sequential runs.
    /// </summary>
    /// <param name="specs">The runs.</param>
    /// <param name="maxParallel">Runs at once (default: the number of cores).</param>
    /// <param name="onCompleted">Called (from a worker thread) with each run's index and result as it finishes.</param>
    /// <param name="cancellationToken">Stops every run between steps; unfinished runs end Cancelled.</param>
    public static TrainingResult[] TrainAll(IReadOnlyList<RunSpec> specs, int? maxParallel = null,
        Action<int, TrainingResult>? onCompleted = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        foreach (RunSpec spec in specs) spec.Validate();
        var results = new TrainingResult[specs.Count];
        int parallel = Math.Max(1, maxParallel ?? Environment.ProcessorCount);
        Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
        {
            RunSpec spec = specs[i] with { Training = specs[i].Training with { Threads = 1 } };
            results[i] = Train(spec, null, cancellationToken);
            onCompleted?.Invoke(i, results[i]);
        });
        return results;
    }

    /// <summary>The engine that <see cref="TrainingOptions.Engine"/> selects for <paramref name="model"/>.</summary>
    public static ITrainingBackend CreateBackend(ModelOptions model, TrainingOptions training, ReadOnlySpan<double> initialParameters)
        => ResolveEngine(model, training) == EngineKind.Fast
            ? new FastBackend(model, training.Optimizer, training.ClipThreshold, initialParameters, training.Threads)
            : new TorchSharpBackend(model, training.Optimizer, training.ClipThreshold, initialParameters, torch.device(training.Device));

    /// <summary>The engine <see cref="TrainingOptions.Engine"/> resolves to: Auto becomes Fast on the CPU for every model
    /// <see cref="FastBackend.Supports"/> and TorchSharp otherwise. An explicit Fast on a configuration it cannot compute is rejected.</summary>
    public static EngineKind ResolveEngine(ModelOptions model, TrainingOptions training)
    {
        bool cpu = string.Equals(training.Device.Trim(), "cpu", StringComparison.OrdinalIgnoreCase);
        bool fastApplies = FastBackend.Supports(model) && cpu;
        return training.Engine switch
        {
            EngineKind.TorchSharp => EngineKind.TorchSharp,
            EngineKind.Fast when !fastApplies => throw new ArgumentOutOfRangeException(nameof(TrainingOptions.Engine),
                $"Engine Fast computes linear, softmax and ReLU attention (a feature MLP only with linear attention and the Full parametrisation) on the CPU only, but {(FastBackend.Supports(model) ? $"Device is '{training.Device}'" : FastBackend.Unsupported(model))}. Use Engine Auto or TorchSharp."),
            EngineKind.Fast => EngineKind.Fast,
            _ => fastApplies ? EngineKind.Fast : EngineKind.TorchSharp,
        };
    }
}
