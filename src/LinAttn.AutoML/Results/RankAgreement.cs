namespace LinAttn.AutoML;

/// <summary>How well the ranking of trials at an early rung predicted their ranking at a later rung: Spearman's ρ within
/// each optimizer, averaged with weights n (trials with finite losses at both rungs). NaN when fewer than 3 pairs.</summary>
/// <param name="FromSteps">The early rung.</param>
/// <param name="ToSteps">The later rung.</param>
/// <param name="Spearman">Weighted mean of the per-optimizer Spearman ρ.</param>
/// <param name="Pairs">Trials compared (all optimizers).</param>
public readonly record struct RankAgreement(int FromSteps, int ToSteps, double Spearman, int Pairs);
