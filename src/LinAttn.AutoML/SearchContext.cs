namespace LinAttn.AutoML;

/// <summary>What a tuner factory gets (<see cref="AutoMLExperiment.SetTuner(Func{SearchContext, ITuner})"/>).</summary>
/// <param name="SearchSpace">The search space.</param>
/// <param name="Seed">The experiment seed: derive all randomness from (Seed, trial id, purpose).</param>
/// <param name="StepsPerTrial">The trials' horizon.</param>
/// <param name="Rungs">The scheduler's rungs for that horizon.</param>
public sealed record SearchContext(SearchSpace SearchSpace, ulong Seed, int StepsPerTrial, IReadOnlyList<int> Rungs);
