using System.Diagnostics;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Diagnostics.Studies;

/// <summary>
/// Trains one <see cref="RunSpec"/> (or several that draw the same batches, in lock step) through the shared training
/// loop (whatever engine it uses) and then computes the
/// paper's post-hoc diagnostics from the stored trajectory on the fixed evaluation batch: R_med (both definitions)
/// and optionally spectra at chosen iterations, and the directional smoothness with gradient norms.
/// </summary>
/// <remarks>
/// The parameters θ_t are kept every iteration when directional smoothness is requested (P doubles per step: 12 MB
/// for the base model over 10,000 steps), otherwise only at the condition steps. Cost: the training, plus one Hessian
/// per condition step, plus one HVP and one gradient per smoothness step.
/// </remarks>
public static class TrajectoryStudy
{
    /// <summary>Runs the study.</summary>
    /// <param name="spec">The run (its seed, optimizer, steps, evaluation batch).</param>
    /// <param name="options">Which diagnostics, at which iterations.</param>
    /// <param name="lossFactory">Creates the engine for Hessians and HVPs; null uses <see cref="DiagnosticEngines.CreateLoss(ModelOptions)"/>.</param>
    /// <param name="progress">Phase-wise progress.</param>
    /// <param name="cancellationToken">Stops training or diagnostics; throws <see cref="OperationCanceledException"/>.</param>
    public static TrajectoryResult Run(RunSpec spec, TrajectoryOptions options, Func<ModelOptions, IDifferentiableLoss>? lossFactory = null,
        IProgress<StudyProgress>? progress = null, CancellationToken cancellationToken = default)
        => RunInLockstep(new[] { Check.NotNull(spec, nameof(spec)) }, options, lossFactory, progress is null ? null : new[] { progress }, cancellationToken)[0];

    /// <summary>
    /// Runs the study for several specs that draw the same training batches (e.g. SGDM and Adam on one seed): trains them
    /// in lock step with <see cref="Runner.TrainInLockstep"/>, sampling each batch once, then computes each one's
    /// diagnostics. Every result equals <see cref="Run"/>'s for that spec alone, apart from the recorded times.
    /// </summary>
    /// <param name="specs">The runs; they must agree on task, batch size and seed.</param>
    /// <param name="options">Which diagnostics, at which iterations (the same for every run).</param>
    /// <param name="lossFactory">Creates the engine for Hessians and HVPs; null uses <see cref="DiagnosticEngines.CreateLoss(ModelOptions)"/>.</param>
    /// <param name="progress">Phase-wise progress per run (by index), or null.</param>
    /// <param name="cancellationToken">Stops training or diagnostics; throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="onResult">Called with each run's index and result as soon as its diagnostics are done (e.g. to store it).</param>
    public static TrajectoryResult[] RunInLockstep(IReadOnlyList<RunSpec> specs, TrajectoryOptions options,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory = null, IReadOnlyList<IProgress<StudyProgress>?>? progress = null,
        CancellationToken cancellationToken = default, Action<int, TrajectoryResult>? onResult = null)
    {
        Check.NotNull(specs, nameof(specs));
        foreach (RunSpec spec in specs) Check.NotNull(spec, nameof(specs)).Validate();
        Check.NotNull(options, nameof(options));
        var runs = specs.Select(spec => spec with { Training = spec.Training with { SnapshotEvery = SnapshotEvery(spec.Training.Steps, options) } }).ToArray();
        var trainingProgress = progress?.Select(p => p is null ? null
            : (IProgress<TrainingProgress>)new InlineProgress<TrainingProgress>(q => p.Report(new StudyProgress(StudyPhase.Training, q.Step, q.TotalSteps)))).ToArray();
        TrainingResult[] trained = Runner.TrainInLockstep(runs, trainingProgress, cancellationToken);
        var results = new TrajectoryResult[specs.Count];
        for (int i = 0; i < specs.Count; i++)
        {
            if (trained[i].Status == TrainingStatus.Cancelled) throw new OperationCanceledException(trained[i].Message, cancellationToken);
            results[i] = Diagnose(specs[i], options, trained[i], lossFactory, progress?[i], cancellationToken);
            trained[i] = null!;   // its snapshots can go once diagnosed
            onResult?.Invoke(i, results[i]);
        }
        return results;
    }

    // θ_t is kept every step when directional smoothness is requested, else at the gcd of the condition steps.
    private static int SnapshotEvery(int steps, TrajectoryOptions options)
    {
        int[] conditionSteps = options.ConditionSteps.Where(t => t <= steps).Distinct().ToArray();
        bool smoothness = options.SmoothnessSteps.Any(t => t < steps);
        int every = smoothness ? 1 : conditionSteps.Length > 0 ? conditionSteps.Aggregate(steps, Gcd) : 0;
        return every == 0 && conditionSteps.Length > 0 ? 1 : every;
    }

    private static TrajectoryResult Diagnose(RunSpec spec, TrajectoryOptions options, TrainingResult trained,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        int steps = spec.Training.Steps;
        int[] conditionSteps = options.ConditionSteps.Where(t => t <= steps).Distinct().Order().ToArray();
        int[] smoothnessSteps = options.SmoothnessSteps.Where(t => t < steps).Distinct().Order().ToArray();
        var clock = Stopwatch.StartNew();
        TrainingHistory history = trained.History;
        var snapshots = new Dictionary<int, double[]>();
        for (int i = 0; i < history.SnapshotSteps.Count; i++) snapshots[history.SnapshotSteps[i]] = history.Snapshots[i];
        conditionSteps = conditionSteps.Where(snapshots.ContainsKey).ToArray();
        smoothnessSteps = smoothnessSteps.Where(t => snapshots.ContainsKey(t) && snapshots.ContainsKey(t + 1)).ToArray();

        TrainingOptions t = spec.Training;
        PromptBatch evaluation = new PromptSampler(spec.Task).Sample(t.EvaluationBatchSize, t.EvaluationSeed, StreamPurpose.Evaluation, 0, t.Threads);
        using IDifferentiableLoss loss = (lossFactory ?? DiagnosticEngines.CreateLoss)(spec.Model);

        var diagonal = new double[conditionSteps.Length];
        var eigen = new double[conditionSteps.Length];
        var largest = new double[conditionSteps.Length];
        var spectrumSteps = new List<int>();
        var spectra = new List<double[]>();
        for (int k = 0; k < conditionSteps.Length; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            HessianResult hessian = HessianAnalysis.Compute(loss, snapshots[conditionSteps[k]], evaluation);
            diagonal[k] = hessian.RobustCondition(RobustConditionDefinition.AbsoluteDiagonal);
            eigen[k] = hessian.RobustCondition(RobustConditionDefinition.Eigenvalues);
            largest[k] = hessian.Eigenvalues[^1];
            if (options.SpectrumSteps.Contains(conditionSteps[k]))
            {
                spectrumSteps.Add(conditionSteps[k]);
                spectra.Add(hessian.Eigenvalues.ToArray());
            }
            progress?.Report(new StudyProgress(StudyPhase.Hessian, k + 1, conditionSteps.Length));
        }

        DirectionalSmoothnessResult? ds = null;
        if (smoothnessSteps.Length > 0)
        {
            int[] trajectorySteps = snapshots.Keys.Order().ToArray();
            ds = DirectionalSmoothness.AlongTrajectory(loss, trajectorySteps, trajectorySteps.Select(s => snapshots[s]).ToArray(),
                evaluation, smoothnessSteps, options.SmoothnessGradientNorms,
                progress is null ? null : new InlineProgress<int>(d => progress.Report(new StudyProgress(StudyPhase.Smoothness, d, smoothnessSteps.Length))),
                cancellationToken);
        }

        return new TrajectoryResult
        {
            Name = spec.Name,
            Optimizer = spec.Training.Optimizer.Kind,
            Seed = spec.Training.Seed,
            Status = trained.Status,
            Message = trained.Message,
            EvaluationSteps = history.EvaluationSteps.ToArray(),
            EvaluationLoss = history.EvaluationLoss.ToArray(),
            TrainLoss = history.TrainLoss.ToArray(),
            SkippedSteps = history.SkippedSteps.ToArray(),
            GradientNorm = history.GradientNorm.ToArray(),
            ConditionSteps = conditionSteps,
            ConditionDiagonal = diagonal,
            ConditionEigenvalues = eigen,
            LargestEigenvalue = largest,
            SpectrumSteps = spectrumSteps.ToArray(),
            Spectra = spectra.ToArray(),
            SmoothnessSteps = ds?.Steps.ToArray() ?? Array.Empty<int>(),
            Smoothness = ds?.Values.ToArray() ?? Array.Empty<double>(),
            SmoothnessGradientNorm = ds?.GradientNorms.ToArray() ?? Array.Empty<double>(),
            TrainingSeconds = history.WallSeconds,
            DiagnosticsSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
