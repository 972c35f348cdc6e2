namespace LinAttn.AutoML;

/// <summary>Builds the per-optimizer summaries, the ranking and the rung agreement from the final trial table.</summary>
internal static class ResultBuilder
{
    public static List<OptimizerSummary> Summaries(SearchSpace space, IReadOnlyList<TrialResult> trials, ulong seed)
    {
        var confirmations = space.Optimizers.Select(o => trials.Where(t => t.Parameter.Optimizer == o.Name && t.Phase == TrialPhase.Confirmation)
            .OrderBy(t => t.SeedIndex).ToList()).ToList();
        bool confirmed = confirmations.All(c => c.Count > 0 && c.All(t => t.IsFinal));
        double[] pBest = confirmed
            ? Statistics.ProbabilityBest(confirmations.Select(c => (IReadOnlyList<double>)c.Select(FinalLoss).ToList()).ToList(), seed)
            : Array.Empty<double>();

        var list = new List<OptimizerSummary>();
        for (int i = 0; i < space.Optimizers.Count; i++)
        {
            OptimizerSpace o = space.Optimizers[i];
            var mine = trials.Where(t => t.Parameter.Optimizer == o.Name).ToList();
            var search = mine.Where(t => t.Phase != TrialPhase.Confirmation && t.SeedIndex == 0).ToList();
            TrialResult? best = search.Where(t => t.Phase != TrialPhase.Probe && t.Rungs.Count > 0 && double.IsFinite(t.Rungs[^1].Loss))
                .OrderByDescending(t => t.Rungs[^1].Steps).ThenBy(t => t.Rungs[^1].Loss).ThenBy(t => t.TrialId).FirstOrDefault()
                ?? search.Where(t => t.Rungs.Count > 0 && double.IsFinite(t.Rungs[^1].Loss)).OrderByDescending(t => t.Rungs[^1].Steps).ThenBy(t => t.Rungs[^1].Loss).FirstOrDefault();
            ConfirmationStatistics? stats = null;
            if (confirmed)
            {
                var losses = confirmations[i].Select(FinalLoss).ToList();
                var (mean, sd, lo, hi) = Statistics.MeanInterval(losses);
                stats = new ConfirmationStatistics(losses, losses.Count(l => !double.IsFinite(l)), Statistics.Median(losses), mean, sd, lo, hi, pBest[i]);
            }
            var curve = search.Select(t => new SensitivityPoint(t.Parameter.LearningRate, t.Steps,
                    t.Status == TrialStatus.Diverged ? double.NaN : t.Rungs.Count > 0 ? t.Rungs[^1].Loss : double.NaN, t.Status, t.TrialId, t.Phase))
                .Where(p => p.Status != TrialStatus.Failed && p.Status != TrialStatus.Cancelled)
                .OrderBy(p => p.LearningRate).ThenBy(p => p.TrialId).ToList();
            double bestLr = best?.Parameter.LearningRate ?? 0;
            var diverged = search.Where(t => t.Status == TrialStatus.Diverged && t.Parameter.LearningRate > bestLr).Select(t => t.Parameter.LearningRate).ToList();
            list.Add(new OptimizerSummary
            {
                Name = o.Name,
                Kind = o.Kind,
                BestTrial = best,
                Confirmation = stats,
                SensitivityCurve = curve,
                DivergenceCliff = diverged.Count > 0 ? diverged.Min() : null,
                StableRange = StableRange(search),
                StepsSpent = search.Sum(t => (long)t.Steps),
                ConfirmationSteps = mine.Where(t => t.Phase == TrialPhase.Confirmation).Sum(t => (long)t.Steps),
            });
        }
        var ranked = list.OrderBy(s => confirmed ? s.Confirmation!.Median : double.IsNaN(s.BestLoss) ? double.PositiveInfinity : s.BestLoss).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        return ranked.Select((s, k) => new OptimizerSummary
        {
            Name = s.Name, Kind = s.Kind, BestTrial = s.BestTrial, Confirmation = s.Confirmation, SensitivityCurve = s.SensitivityCurve,
            DivergenceCliff = s.DivergenceCliff, StableRange = s.StableRange, StepsSpent = s.StepsSpent, ConfirmationSteps = s.ConfirmationSteps, Rank = k + 1,
        }).ToList();
    }

    private static double FinalLoss(TrialResult t) => t.Status == TrialStatus.Completed ? t.Loss : double.NaN;

    private static (double, double)? StableRange(List<TrialResult> search)
    {
        var basis = search.Where(t => t.Phase == TrialPhase.Probe).ToList();
        if (basis.Count == 0) basis = search;
        var ok = basis.Where(t => t.Status != TrialStatus.Diverged && t.Status != TrialStatus.Failed && t.Rungs.Count > 0
                                  && double.IsFinite(t.Rungs[^1].Loss) && !(t.Rungs[^1].Loss >= t.InitialLoss))
            .Select(t => t.Parameter.LearningRate).ToList();
        return ok.Count > 0 ? (ok.Min(), ok.Max()) : null;
    }

    /// <summary>Spearman agreement between consecutive rungs and between the first and the last rung.</summary>
    public static List<RankAgreement> Agreement(IReadOnlyList<TrialResult> trials, IReadOnlyList<int> rungs)
    {
        var scheduled = trials.Where(t => t.SeedIndex == 0 && t.Phase is TrialPhase.Search or TrialPhase.Exploration or TrialPhase.Exploitation).ToList();
        var pairs = new List<(int, int)>();
        for (int k = 0; k + 1 < rungs.Count; k++) pairs.Add((rungs[k], rungs[k + 1]));
        if (rungs.Count > 2) pairs.Add((rungs[0], rungs[^1]));
        var result = new List<RankAgreement>();
        foreach (var (a, b) in pairs)
        {
            double weighted = 0;
            int n = 0, weight = 0;
            foreach (var group in scheduled.GroupBy(t => t.Parameter.Optimizer))
            {
                var both = group.Where(t => double.IsFinite(t.LossAt(a)) && double.IsFinite(t.LossAt(b))).ToList();
                n += both.Count;
                double rho = Statistics.Spearman(both.Select(t => t.LossAt(a)).ToList(), both.Select(t => t.LossAt(b)).ToList());
                if (double.IsFinite(rho))
                {
                    weighted += rho * both.Count;
                    weight += both.Count;
                }
            }
            result.Add(new RankAgreement(a, b, weight > 0 ? weighted / weight : double.NaN, n));
        }
        return result;
    }
}
