using LinAttn.AutoML.Internal;

namespace LinAttn.AutoML;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al. 2020) on training steps, with promotion decided within each
/// optimizer. Rungs are r_k = T / η^(R−1−k) for k = 0..R−1 (T the horizon, η the reduction factor, R the rung count).
/// A trial that entered rung k (reached it, or diverged or failed on the way, counting as +∞) is promoted to rung k+1
/// when it is among the best ⌊n_k / η⌋ of the n_k trials of its optimizer that entered rung k.
/// </summary>
/// <remarks>Applies to the phases Search, Exploration and Exploitation; probes and confirmations run the steps their
/// tuner asks for. The experiment evaluates the rule at barriers, so results do not depend on the number of workers.</remarks>
public sealed class AshaScheduler : ITrialScheduler
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>η = 3: keep the best third at every rung (ASHA's usual choice).</summary>
        public const int ReductionFactor = 3;

        /// <summary>R = 3 rungs: T/9, T/3, T. With 9 trials per optimizer, one reaches T.</summary>
        public const int RungCount = 3;
    }

    /// <summary>Creates the scheduler.</summary>
    /// <param name="reductionFactor">η. Range: ≥ 2.</param>
    /// <param name="rungCount">R. Range: ≥ 1.</param>
    public AshaScheduler(int reductionFactor = Defaults.ReductionFactor, int rungCount = Defaults.RungCount)
    {
        Guard.That(reductionFactor >= 2, nameof(reductionFactor), $"reductionFactor must be at least 2, but was {reductionFactor}.");
        Guard.Positive(rungCount, nameof(rungCount));
        ReductionFactor = reductionFactor;
        RungCount = rungCount;
    }

    /// <summary>η.</summary>
    public int ReductionFactor { get; }

    /// <summary>R.</summary>
    public int RungCount { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Rungs(int maxSteps)
    {
        var rungs = new int[RungCount];
        for (int k = 0; k < RungCount; k++) rungs[k] = (int)Math.Round(maxSteps / Math.Pow(ReductionFactor, RungCount - 1 - k));
        if (maxSteps / Math.Pow(ReductionFactor, RungCount - 1) < 1)
            throw new ArgumentOutOfRangeException(nameof(maxSteps),
                $"The smallest rung is {maxSteps} / {ReductionFactor}^{RungCount - 1} < 1 step: raise the steps per trial ({maxSteps}) or lower the rung count ({RungCount}).");
        return rungs;
    }

    /// <inheritdoc />
    public int FirstRung(TrialSettings settings)
        => Scheduled(settings.Phase) && settings.SeedIndex == 0 ? Rungs(settings.MaxSteps)[0] : settings.Steps > 0 ? settings.Steps : settings.MaxSteps;

    /// <inheritdoc />
    public IReadOnlyList<Promotion> Promote(IReadOnlyList<TrialResult> trials)
    {
        var promotions = new List<Promotion>();
        var groups = trials.Where(t => Scheduled(t.Phase) && t.SeedIndex == 0).GroupBy(t => (t.Parameter.Optimizer, t.MaxSteps));
        foreach (var group in groups.OrderBy(g => g.Key.Optimizer, StringComparer.Ordinal).ThenBy(g => g.Key.MaxSteps))
        {
            IReadOnlyList<int> rungs = Rungs(group.Key.MaxSteps);
            for (int k = 0; k < rungs.Count - 1; k++)
            {
                var entered = group.Select(t => (Trial: t, Loss: LossEntering(t, rungs, k))).Where(e => e.Loss is not null)
                    .OrderBy(e => e.Loss!.Value).ThenBy(e => e.Trial.TrialId).ToList();
                int keep = entered.Count / ReductionFactor;
                foreach (var (trial, _) in entered.Take(keep))
                {
                    if (trial.Status == TrialStatus.Paused && trial.Steps == rungs[k]) promotions.Add(new Promotion(trial.TrialId, rungs[k + 1]));
                }
            }
        }
        return promotions.OrderBy(p => p.TrialId).ToList();
    }

    /// <summary>The loss with which <paramref name="trial"/> entered rung k (+∞ if it diverged or failed on the way),
    /// or null when it did not enter it.</summary>
    internal static double? LossEntering(TrialResult trial, IReadOnlyList<int> rungs, int k)
    {
        double atRung = trial.LossAt(rungs[k]);
        if (trial.Rungs.Any(r => r.Steps == rungs[k])) return double.IsFinite(atRung) ? atRung : double.PositiveInfinity;
        if (trial.Status is TrialStatus.Diverged or TrialStatus.Failed)
        {
            int lastReached = trial.Rungs.Count > 0 ? trial.Rungs[^1].Steps : 0;
            int previous = k == 0 ? 0 : rungs[k - 1];
            if (lastReached == previous) return double.PositiveInfinity;
        }
        return null;
    }

    private static bool Scheduled(TrialPhase phase) => phase is TrialPhase.Search or TrialPhase.Exploration or TrialPhase.Exploitation;
}
