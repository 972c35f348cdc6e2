using LinAttn.Internal;

namespace LinAttn.Training;

/// <summary>The shape of the learning-rate schedule.</summary>
public enum ScheduleKind
{
    /// <summary>η_t = η (the paper: no schedule).</summary>
    Constant = 0,

    /// <summary>Linear warm-up from η/W to η over the first W steps, then constant.</summary>
    LinearWarmup = 1,

    /// <summary>Linear warm-up over W steps, then cosine decay from η to η·MinFactor at the last step.</summary>
    Cosine = 2,
}

/// <summary>A learning-rate schedule: a pure function of the step (<see cref="Factor"/>).</summary>
public sealed record LearningRateSchedule
{
    /// <summary>The constant schedule.</summary>
    public static LearningRateSchedule Constant { get; } = new();

    /// <summary>The shape.</summary>
    public ScheduleKind Kind { get; init; } = ScheduleKind.Constant;

    /// <summary>Warm-up length as a fraction of the total steps. Range: [0, 1).</summary>
    public double WarmupFraction { get; init; }

    /// <summary>Final factor of the cosine decay. Range: [0, 1].</summary>
    public double MinFactor { get; init; }

    /// <summary>The multiplier of the base learning rate at 0-based <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public double Factor(int step, int totalSteps)
    {
        if (Kind == ScheduleKind.Constant) return 1.0;
        int warmup = (int)Math.Round(WarmupFraction * totalSteps);
        if (step < warmup) return (step + 1) / (double)warmup;
        if (Kind == ScheduleKind.LinearWarmup) return 1.0;
        int decaySteps = Math.Max(1, totalSteps - warmup - 1);
        double progress = Math.Min(1.0, (step - warmup) / (double)decaySteps);
        return MinFactor + (1 - MinFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Guard.Defined(Kind, nameof(Kind));
        Guard.InRange(WarmupFraction, 0, 1, nameof(WarmupFraction));
        Guard.InRange(MinFactor, 0, 1.0000001, nameof(MinFactor));
    }
}
