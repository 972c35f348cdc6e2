using LinAttn.AutoML;
using LinAttn.Training;

namespace LinAttn.Tests.AutoML;

/// <summary>Small, fast experiments for the AutoML tests: Setting 1 at B = 64, 90 steps per trial (rungs 10, 30, 90).</summary>
internal static class SmallStudy
{
    public static RunSpec Task()
    {
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam, seed: 0);
        return spec with { Training = spec.Training with { BatchSize = 64, EvaluationBatchSize = 128, Threads = 1 } };
    }

    public static AutoMLExperiment Experiment(ulong seed = 7, int stepsPerTrial = 90, long? budget = null) =>
        new AutoMLExperiment(Task(), seed)
            .AddOptimizer<SgdMomentumSearchOptions>("sgdm")
            .AddOptimizer<AdamSearchOptions>("adam")
            .SetStepBudget(stepsPerTrial, budget)
            .SetDefaultTuner(new DefaultTunerOptions { ProbePoints = 5, ProbeWidenings = 1, ExplorationPoints = 9, ExploitationPoints = 1, ConfirmationSeeds = 2 });

    public static string Table(ExperimentResult result) => string.Join('\n', result.Trials.Select(t => t.ToRow()));
}
