namespace LinAttn.AutoML;

/// <summary>
/// An optimizer's best configuration rerun with confirmation seeds 1..K (the same seeds for every optimizer, so data and
/// initialisation are shared across candidates): final losses, how many seeds diverged, the median (a diverged seed
/// counts as +∞; optimizers are ranked by it), the mean and Student-t 95% interval of the finite losses, and the
/// probability of being the best optimizer (the share of paired bootstrap resamples of the seeds in which it has the
/// lowest median).
/// </summary>
/// <param name="Losses">Final evaluation MSE per seed, in seed order (NaN for a diverged run).</param>
/// <param name="DivergedSeeds">Seeds whose run diverged (or failed).</param>
/// <param name="Median">Median loss over all seeds, a diverged seed counting as +∞ (+∞ when half or more diverged).</param>
/// <param name="Mean">Mean of the finite losses.</param>
/// <param name="StandardDeviation">Sample standard deviation (n − 1).</param>
/// <param name="Lower95">Mean − t₀.₉₇₅,ₙ₋₁ · s/√n.</param>
/// <param name="Upper95">Mean + t₀.₉₇₅,ₙ₋₁ · s/√n.</param>
/// <param name="ProbabilityBest">Fraction of paired bootstrap resamples of the seeds in which this optimizer has the lowest median.</param>
public sealed record ConfirmationStatistics(IReadOnlyList<double> Losses, int DivergedSeeds, double Median, double Mean, double StandardDeviation,
    double Lower95, double Upper95, double ProbabilityBest);
