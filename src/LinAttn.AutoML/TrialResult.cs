using System.Globalization;

namespace LinAttn.AutoML;

/// <summary>A trial's state after a rung or at its end (ML.NET AutoML's trial result, with rungs and status).</summary>
public sealed class TrialResult
{
    /// <summary>The trial's id.</summary>
    public int TrialId { get; init; }

    /// <summary>The configuration.</summary>
    public required Parameter Parameter { get; init; }

    /// <summary>The part of the search the trial belongs to.</summary>
    public TrialPhase Phase { get; init; }

    /// <summary>0 for the search seed, k for confirmation seed k.</summary>
    public int SeedIndex { get; init; }

    /// <summary>The trial's horizon.</summary>
    public int MaxSteps { get; init; }

    /// <summary>The state.</summary>
    public TrialStatus Status { get; init; }

    /// <summary>Training steps done (for Diverged: up to and including the step that diverged).</summary>
    public int Steps { get; init; }

    /// <summary>MSE on the fixed evaluation batch at the last rung reached (NaN when diverged or failed).</summary>
    public double Loss { get; init; } = double.NaN;

    /// <summary>The experiment's <see cref="RegressionMetric"/> computed from <see cref="Loss"/>.</summary>
    public double Metric { get; init; } = double.NaN;

    /// <summary>MSE on the evaluation batch at θ_0 (same for every search trial: they share the seed).</summary>
    public double InitialLoss { get; init; } = double.NaN;

    /// <summary>The step at which the run diverged, for <see cref="TrialStatus.Diverged"/>.</summary>
    public int? DivergedAtStep { get; init; }

    /// <summary>The loss at every rung reached, in step order.</summary>
    public IReadOnlyList<RungResult> Rungs { get; init; } = Array.Empty<RungResult>();

    /// <summary>What happened, in words (training message, or the scheduler's decision).</summary>
    public string Message { get; init; } = "";

    /// <summary>The exception text of a Failed trial.</summary>
    public string? Exception { get; init; }

    /// <summary>Wall-clock seconds spent training this trial (not part of the deterministic table).</summary>
    public double WallSeconds { get; init; }

    /// <summary>The final parameters θ (layout [L, H, m, k, k]) of a Completed trial; null otherwise.</summary>
    public double[]? FinalParameters { get; init; }

    /// <summary>True for Completed, Pruned, Diverged and Failed: the trial will not run again.</summary>
    public bool IsFinal => Status is TrialStatus.Completed or TrialStatus.Pruned or TrialStatus.Diverged or TrialStatus.Failed;

    /// <summary>The loss at rung <paramref name="steps"/>, or NaN when the trial did not reach it.</summary>
    public double LossAt(int steps)
    {
        foreach (RungResult r in Rungs) if (r.Steps == steps) return r.Loss;
        return double.NaN;
    }

    /// <summary>A copy with another status and message.</summary>
    public TrialResult WithStatus(TrialStatus status, string message) => new()
    {
        TrialId = TrialId, Parameter = Parameter, Phase = Phase, SeedIndex = SeedIndex, MaxSteps = MaxSteps, Status = status,
        Steps = Steps, Loss = Loss, Metric = Metric, InitialLoss = InitialLoss, DivergedAtStep = DivergedAtStep, Rungs = Rungs,
        Message = message, Exception = Exception, WallSeconds = WallSeconds, FinalParameters = FinalParameters,
    };

    /// <summary>The deterministic part of the trial as one line (everything but wall time): what reproducibility compares.</summary>
    public string ToRow()
        => string.Join('|', TrialId, Parameter.ToJson(), Phase, SeedIndex, MaxSteps, Status, Steps, R(Loss), R(InitialLoss),
            DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? "", string.Join(';', Rungs.Select(r => $"{r.Steps}:{R(r.Loss)}")));

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
