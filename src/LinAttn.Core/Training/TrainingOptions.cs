using LinAttn.Internal;

namespace LinAttn.Training;

/// <summary>
/// How to train (Ahn et al. 2024 §3.2): online, a fresh batch every step, a fixed evaluation batch, global-norm clipping.
/// Immutable; derive variants with <c>with</c>.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Default values, defined once.</summary>
    public static class Defaults
    {
        /// <summary>10,000 steps (the paper's <c>max_iters</c>).</summary>
        public const int Steps = 10_000;

        /// <summary>B = 1000 fresh prompts per step (the paper).</summary>
        public const int BatchSize = 1000;

        /// <summary>Clip the global gradient norm at 1 (the paper; 0.1 for spherical data in the authors' code).</summary>
        public const double ClipThreshold = 1.0;

        /// <summary>Evaluate every 50 steps (the paper's loss plots use stride 50).</summary>
        public const int EvaluateEvery = 50;

        /// <summary>1000 evaluation prompts (the paper).</summary>
        public const int EvaluationBatchSize = 1000;

        /// <summary>Evaluation seed 99 (the authors' fixed evaluation batch).</summary>
        public const ulong EvaluationSeed = 99;
    }

    /// <summary>Number of optimizer steps. Range: ≥ 1.</summary>
    public int Steps { get; init; } = Defaults.Steps;

    /// <summary>Prompts per step. Range: ≥ 1.</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>The optimizer and its hyper-parameters.</summary>
    public OptimizerOptions Optimizer { get; init; } = new();

    /// <summary>Global-norm clipping threshold c: when ‖g‖ &gt; c, g ← g·c/‖g‖ (the authors' rule, no ε). Null turns
    /// clipping off. Range: &gt; 0.</summary>
    public double? ClipThreshold { get; init; } = Defaults.ClipThreshold;

    /// <summary>The learning-rate schedule.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Evaluate on the fixed batch every this many steps (and after the last). 0 turns evaluation off.</summary>
    public int EvaluateEvery { get; init; } = Defaults.EvaluateEvery;

    /// <summary>Size of the fixed evaluation batch. Range: ≥ 1.</summary>
    public int EvaluationBatchSize { get; init; } = Defaults.EvaluationBatchSize;

    /// <summary>Seed of the fixed evaluation batch (independent of <see cref="Seed"/>, as in the paper).</summary>
    public ulong EvaluationSeed { get; init; } = Defaults.EvaluationSeed;

    /// <summary>Seed of the initialisation and of the training batches.</summary>
    public ulong Seed { get; init; }

    /// <summary>Store the parameters θ_t every this many steps (before step t's update), plus the final ones.
    /// 0 turns snapshots off; 1 keeps the whole trajectory (what directional smoothness needs).</summary>
    public int SnapshotEvery { get; init; }

    /// <summary>Stop as diverged when the training loss exceeds this multiple of the first step's loss (null: off).
    /// Non-finite losses, gradients and weights always stop the run.</summary>
    public double? DivergenceLossRatio { get; init; }

    /// <summary>
    /// Steps whose training loss or gradient is non-finite that the run may skip before it stops as diverged: a skipped
    /// step's update is not applied (θ and the optimizer state stay as they were) and the run goes on with the next batch.
    /// 0 (default) stops at the first, as the paper's procedure must. Deep models trained to high accuracy send a few rare
    /// prompts past float range whatever the learning rate (docs/training.md, "Divergence from a few rare prompts");
    /// skipping those batches is what lets such runs finish. Non-finite updated weights or evaluation losses always stop the run.
    /// </summary>
    public int MaxSkippedSteps { get; init; }

    /// <summary>Threads for torch and sampling; null leaves torch's setting unchanged. Tests use 1.</summary>
    public int? Threads { get; init; }

    /// <summary>The compute engine; <see cref="EngineKind.Auto"/> picks the fast engine whenever it applies.</summary>
    public EngineKind Engine { get; init; } = EngineKind.Auto;

    /// <summary>How the training batches are drawn: <see cref="PromptSampling.Tokens"/> (default) or, on the fast engine
    /// with linear attention and a Gaussian linear task, <see cref="PromptSampling.Moments"/> (same law, faster).</summary>
    public PromptSampling Sampling { get; init; } = PromptSampling.Tokens;

    /// <summary>Torch device: "cpu" (default), "cuda", "cuda:1", ...</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Guard.Positive(Steps, nameof(Steps));
        Guard.Positive(BatchSize, nameof(BatchSize));
        Guard.NotNull(Optimizer).Validate();
        if (ClipThreshold is double c) Guard.Positive(c, nameof(ClipThreshold));
        Guard.NotNull(Schedule).Validate();
        Guard.NonNegative(EvaluateEvery, nameof(EvaluateEvery));
        Guard.Positive(EvaluationBatchSize, nameof(EvaluationBatchSize));
        Guard.NonNegative(SnapshotEvery, nameof(SnapshotEvery));
        Guard.NonNegative(MaxSkippedSteps, nameof(MaxSkippedSteps));
        if (DivergenceLossRatio is double r) Guard.That(r > 1, nameof(DivergenceLossRatio), $"DivergenceLossRatio must be > 1, but was {r}.");
        if (Threads is int t) Guard.Positive(t, nameof(Threads));
        Guard.That(!string.IsNullOrWhiteSpace(Device), nameof(Device), "Device must name a torch device such as 'cpu' or 'cuda'.");
        Guard.Defined(Engine, nameof(Engine));
        Guard.Defined(Sampling, nameof(Sampling));
    }
}
