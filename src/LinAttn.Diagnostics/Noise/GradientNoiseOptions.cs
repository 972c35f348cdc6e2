using LinAttn.Model;

namespace LinAttn.Diagnostics;

/// <summary>How to measure stochastic gradient noise (PAPER.md 4(b); defaults are the authors' procedure).</summary>
public sealed record GradientNoiseOptions
{
    /// <summary>Default values, defined once.</summary>
    public static class Defaults
    {
        /// <summary>B = 1000 prompts per minibatch (the training batch size).</summary>
        public const int MinibatchSize = 1000;

        /// <summary>The "full" gradient uses 100·B = 100,000 prompts.</summary>
        public const int LargeBatchMultiple = 100;

        /// <summary>10,000 minibatches (the authors' <c>n_sample</c>).</summary>
        public const int Minibatches = 10_000;

        /// <summary>100 histogram bins (the authors' plot).</summary>
        public const int Bins = 100;

        /// <summary>At most 2000 points in the Q-Q data.</summary>
        public const int QuantilePlotPoints = 2000;
    }

    /// <summary>Prompts per minibatch, B. Range: ≥ 1.</summary>
    public int MinibatchSize { get; init; } = Defaults.MinibatchSize;

    /// <summary>The full gradient is taken on LargeBatchMultiple·B prompts. Range: ≥ 1.</summary>
    public int LargeBatchMultiple { get; init; } = Defaults.LargeBatchMultiple;

    /// <summary>Number of fresh minibatches whose noise norm is measured. Range: ≥ 3.</summary>
    public int Minibatches { get; init; } = Defaults.Minibatches;

    /// <summary>Seed of the diagnostic prompt streams.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Histogram bins. Range: ≥ 1.</summary>
    public int Bins { get; init; } = Defaults.Bins;

    /// <summary>k of the Hill estimator; null uses <see cref="HillEstimator.DefaultK"/> (⌊√n⌋).</summary>
    public int? HillK { get; init; }

    /// <summary>Maximum number of points kept in the Q-Q data. Range: ≥ 10.</summary>
    public int QuantilePlotPoints { get; init; } = Defaults.QuantilePlotPoints;

    /// <summary>
    /// Arithmetic of the minibatch gradients when a study creates the engine (<see cref="Studies.NoiseStudy"/> and the
    /// comparisons, with the default engine): Float32 (the default) as the authors' code and our training compute,
    /// 1.3–1.9× cheaper per gradient on the fast engine (docs/performance.md); Float64 for more digits (on Fig. 5's
    /// model the norms differ by at most 4e-7 relative). A loss passed in explicitly computes in its own precision.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Check.Positive(MinibatchSize, nameof(MinibatchSize));
        Check.Positive(LargeBatchMultiple, nameof(LargeBatchMultiple));
        Check.That(Minibatches >= 3, nameof(Minibatches), $"Minibatches must be at least 3, but was {Minibatches}.");
        Check.Positive(Bins, nameof(Bins));
        Check.That(Enum.IsDefined(Precision), nameof(Precision), $"Precision must be Float32 or Float64, but was {Precision}.");
        Check.That(QuantilePlotPoints >= 10, nameof(QuantilePlotPoints), $"QuantilePlotPoints must be at least 10, but was {QuantilePlotPoints}.");
    }
}
