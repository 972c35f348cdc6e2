using System.Diagnostics;
using LinAttn.AutoML;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>
/// Issue 5's quality check on the paper's Setting 1 (L = 3, d = 5, n = 20, B = 1000), SGDM and Adam: a dense 10-point
/// log grid of learning rates over [1e-4, 1] trained to T steps (the reference), against the default AutoML search with a
/// budget of 3T search steps per optimizer (30% of the grid's 20T). Passes when, for each optimizer, the search's best
/// learning rate trained to T has a final loss within 1.5x of the grid's best, the search spent at most 30% of the grid's
/// steps, and Adam is ranked above SGDM. Runs trials two at a time, one thread each. Run alone on the machine.
/// </summary>
internal static class AutoMLQualityBenchmark
{
    private static readonly OptimizerKind[] Kinds = { OptimizerKind.SgdMomentum, OptimizerKind.Adam };

    public static int Run(int steps, IReadOnlyList<ulong> seeds)
    {
        bool allPass = true;
        foreach (ulong seed in seeds) allPass &= RunOne(steps, seed);
        Console.WriteLine(allPass ? "ALL PASS" : "SOME CHECK FAILED");
        return allPass ? 0 : 1;
    }

    private static bool RunOne(int steps, ulong seed)
    {
        Console.WriteLine($"== Setting 1, T = {steps} steps, seed {seed} ==");
        double[] grid = Enumerable.Range(0, 10).Select(k => Math.Pow(10, -4 + 4.0 * k / 9)).ToArray();
        var specs = Kinds.SelectMany(kind => grid.Select(lr => Spec(kind, lr, steps, seed))).ToList();
        var clock = Stopwatch.StartNew();
        TrainingResult[] gridResults = Runner.TrainAll(specs, maxParallel: 2);
        double gridSeconds = clock.Elapsed.TotalSeconds;
        long gridSteps = (long)specs.Count * steps;

        clock.Restart();
        RunSpec task = PaperPresets.Get("setting1", OptimizerKind.Adam, seed: seed);
        ExperimentResult search = new AutoMLExperiment(task, seed)
            .AddOptimizer<SgdMomentumSearchOptions>("sgdm")
            .AddOptimizer<AdamSearchOptions>("adam")
            .SetStepBudget(steps)
            .SetMaxConcurrentTrials(2)
            .RunAsync().GetAwaiter().GetResult();
        double searchSeconds = clock.Elapsed.TotalSeconds;

        bool pass = true;
        for (int i = 0; i < Kinds.Length; i++)
        {
            string name = OptimizerOptions.ShortName(Kinds[i]);
            var row = gridResults.Skip(i * grid.Length).Take(grid.Length).ToArray();
            int bestK = Enumerable.Range(0, grid.Length).Where(k => row[k].Status == TrainingStatus.Completed)
                .OrderBy(k => row[k].History.FinalEvaluationLoss).First();
            double gridBest = row[bestK].History.FinalEvaluationLoss;
            Console.WriteLine($"  grid {name}: " + string.Join("  ", grid.Select((lr, k) =>
                $"{lr:G2}:{(row[k].Status == TrainingStatus.Completed ? row[k].History.FinalEvaluationLoss.ToString("0.00e+0") : "div@" + row[k].DivergedAtStep)}")));

            OptimizerSummary found = search.Optimizers.Single(o => o.Name == name);
            // The search's pick trained to T on the same seed (equal to its full-budget trial when it has one; checked).
            TrainingResult check = Runner.Train(Spec(Kinds[i], found.BestLearningRate, steps, seed));
            double pickLoss = check.History.FinalEvaluationLoss;
            if (found.BestTrial is { Status: TrialStatus.Completed } t && t.Steps == steps && t.Loss != pickLoss)
                Console.WriteLine($"  WARNING: retrained loss {pickLoss} differs from the trial's {t.Loss}");
            double ratio = pickLoss / gridBest;
            bool ok = ratio <= 1.5;
            pass &= ok;
            Console.WriteLine($"  {name}: grid best lr {grid[bestK]:G3} loss {gridBest:0.000e+0}; search lr {found.BestLearningRate:G3} loss {pickLoss:0.000e+0}" +
                              $" (ratio {ratio:F3}, {(ok ? "ok" : "FAIL")}); stable [{found.StableRange?.Low:G3}, {found.StableRange?.High:G3}], cliff {found.DivergenceCliff:G3}," +
                              $" search steps {found.StepsSpent:N0}; confirmed median {found.Confirmation?.Median:0.000e+0}, mean {found.Confirmation?.Mean:0.000e+0} [{found.Confirmation?.Lower95:0.000e+0}, {found.Confirmation?.Upper95:0.000e+0}], diverged seeds {found.Confirmation?.DivergedSeeds}, P(best) {found.Confirmation?.ProbabilityBest:F3}");

            // Early-rung vs final agreement, measured: every exploration trial's rate trained to T on the same seed.
            var explored = search.Trials.Where(t => t.Parameter.Optimizer == name && t.Phase == TrialPhase.Exploration && double.IsFinite(t.LossAt(search.Rungs[0]))).ToList();
            TrainingResult[] finals = Runner.TrainAll(explored.Select(t => Spec(Kinds[i], t.Parameter.LearningRate, steps, seed)).ToList(), maxParallel: 2);
            var early = explored.Select(t => t.LossAt(search.Rungs[0])).ToList();
            var final = finals.Select(f => f.Status == TrainingStatus.Completed ? f.History.FinalEvaluationLoss : double.PositiveInfinity).ToList();
            Console.WriteLine($"  {name}: Spearman(loss at rung {search.Rungs[0]}, loss at {steps}) over its {explored.Count} exploration rates = {LinAttn.AutoML.Statistics.Spearman(early, final):F2}");
        }
        double share = search.SearchSteps / (double)gridSteps;
        bool budgetOk = share <= 0.30;
        bool rankOk = search.Ranking[0] == "adam";
        pass &= budgetOk && rankOk;
        Console.WriteLine($"  steps: grid {gridSteps:N0} ({gridSeconds:F1} s wall), search {search.SearchSteps:N0} = {share:P1} of the grid ({(budgetOk ? "ok" : "FAIL")})," +
                          $" confirmation {search.ConfirmationSteps:N0}; search + confirmation {searchSeconds:F1} s wall; {search.Trials.Count} trials");
        Console.WriteLine($"  ranking: {string.Join(" > ", search.Ranking)} ({(rankOk ? "ok" : "FAIL")})");
        foreach (RankAgreement a in search.RungAgreement)
            Console.WriteLine($"  Spearman rung {a.FromSteps} -> {a.ToSteps}: {a.Spearman:F2} over {a.Pairs} trials");
        Console.WriteLine(pass ? "  PASS" : "  FAIL");
        return pass;
    }

    private static RunSpec Spec(OptimizerKind kind, double lr, int steps, ulong seed)
    {
        RunSpec spec = PaperPresets.Get("setting1", kind, lr, seed);
        return spec with { Training = spec.Training with { Steps = steps, EvaluateEvery = steps, Threads = 1 } };
    }
}
