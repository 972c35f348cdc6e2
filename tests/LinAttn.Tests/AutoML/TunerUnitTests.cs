using LinAttn.AutoML;
using LinAttn.AutoML.Tuners;
using LinAttn.Random;
using LinAttn.Training;

namespace LinAttn.Tests.AutoML;

public sealed class TunerUnitTests
{
    [Fact]
    public void Halton_IsTheRadicalInverseInPrimeBases()
    {
        Assert.Equal(new[] { 0.5, 0.25, 0.75, 0.125, 0.625 }, Enumerable.Range(1, 5).Select(i => Halton.RadicalInverse(i, 2)));
        Assert.Equal(1.0 / 3, Halton.RadicalInverse(1, 3), 15);
        Assert.Equal(2.0 / 3, Halton.RadicalInverse(2, 3), 15);
        Assert.Equal(1.0 / 9, Halton.RadicalInverse(3, 3), 15);
        Assert.Equal(new[] { 0.5, 1.0 / 3, 0.2 }, Halton.Point(0, 3));
        // One dimension: n points, one in the centre of each of n equal cells.
        double[] oneD = Halton.Points(9, 1).Select(p => p[0]).OrderBy(x => x).ToArray();
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (i + 0.5) / 9), oneD);
        Assert.Equal(1.0 / 18 + 4.0 / 9, Halton.Points(9, 1)[0][0], 12);   // point 0 (0.5) is the middle cell
    }

    [Fact]
    public void Asha_Rungs_AndPromotionOfTheBestThirdWithinEachOptimizer()
    {
        var asha = new AshaScheduler();
        Assert.Equal(new[] { 222, 667, 2000 }, asha.Rungs(2000));
        Assert.Equal(new[] { 10, 30, 90 }, asha.Rungs(90));
        var tooShort = Assert.Throws<ArgumentOutOfRangeException>(() => asha.Rungs(5));
        Assert.Contains("smallest rung", tooShort.Message);

        // Nine sgdm trials at rung 10 (losses 9..1, trial 3 diverged on the way) and three adam trials.
        var trials = new List<TrialResult>();
        for (int i = 0; i < 9; i++)
            trials.Add(i == 3 ? Trial(i, "sgdm", TrialStatus.Diverged, 4, double.NaN) : Trial(i, "sgdm", TrialStatus.Paused, 10, 9 - i));
        trials.Add(Trial(9, "adam", TrialStatus.Paused, 10, 0.5));
        trials.Add(Trial(10, "adam", TrialStatus.Paused, 10, 0.1));
        trials.Add(Trial(11, "adam", TrialStatus.Paused, 10, 0.9));
        IReadOnlyList<Promotion> promoted = asha.Promote(trials);
        // sgdm: n = 9 -> best 3 (trials 8, 7, 6: losses 1, 2, 3); adam: n = 3 -> best 1 (trial 10). Never across optimizers.
        Assert.Equal(new[] { new Promotion(6, 30), new Promotion(7, 30), new Promotion(8, 30), new Promotion(10, 30) }, promoted);

        // Trial 8 at rung 30 alone: n_1 = 1 -> nobody promoted to 90 yet; two more at rung 30 -> the best of three goes on.
        trials[8] = Trial(8, "sgdm", TrialStatus.Paused, 30, 0.5, (10, 1));
        Assert.DoesNotContain(asha.Promote(trials), p => p.Steps == 90);
        trials[7] = Trial(7, "sgdm", TrialStatus.Paused, 30, 0.2, (10, 2));
        trials[6] = Trial(6, "sgdm", TrialStatus.Diverged, 20, double.NaN, (10, 3));
        Assert.Contains(new Promotion(7, 90), asha.Promote(trials));
        Assert.Equal(double.PositiveInfinity, AshaScheduler.LossEntering(trials[6], asha.Rungs(90), 1));
        Assert.Null(AshaScheduler.LossEntering(trials[5], asha.Rungs(90), 1));
    }

    [Fact]
    public void GaussianProcess_FitsAKnownFunction_AndProposesNearItsMinimum()
    {
        double F(double x) => (x - 0.3) * (x - 0.3);
        double[] xs = { 0.0, 0.1, 0.2, 0.45, 0.6, 0.75, 0.9, 1.0 };
        var gp = new GaussianProcess(xs, xs.Select(F).ToArray());
        foreach (double x in new[] { 0.15, 0.5, 0.8 }) Assert.Equal(F(x), gp.Predict(x).Mean, 2);
        Assert.True(gp.Predict(0.5).Sd < 0.05);
        double next = Exploitation.GaussianProcessSuggestion(xs.Select(x => (x, F(x))).ToList());
        Assert.InRange(next, 0.25, 0.35);
    }

    [Fact]
    public void Tpe_SamplesWhereTheGoodPointsAre()
    {
        var obs = new List<(double[] Unit, double Loss)>();
        for (int i = 0; i < 20; i++)
        {
            double x = (i + 0.5) / 20, y = (i * 7 % 20 + 0.5) / 20;
            obs.Add((new[] { x, y }, (x - 0.8) * (x - 0.8) + (y - 0.2) * (y - 0.2)));
        }
        var picks = Enumerable.Range(0, 20).Select(t => TreeParzenEstimator.Suggest(obs, 2, CounterRandom.For(1, 202, (ulong)t))).ToList();
        Assert.True(picks.Count(p => Math.Abs(p[0] - 0.8) < 0.25 && Math.Abs(p[1] - 0.2) < 0.25) >= 16,
            string.Join(" ", picks.Select(p => $"({p[0]:F2},{p[1]:F2})")));
    }

    [Fact]
    public void Statistics_SpearmanIntervalAndProbabilityOfBeingBest()
    {
        Assert.Equal(1.0, LinAttn.AutoML.Statistics.Spearman(new[] { 1.0, 2, 3, 4 }, new[] { 10.0, 20, 30, 40 }), 12);
        Assert.Equal(-1.0, LinAttn.AutoML.Statistics.Spearman(new[] { 1.0, 2, 3 }, new[] { 3.0, 2, 1 }), 12);
        Assert.Equal(0.8, LinAttn.AutoML.Statistics.Spearman(new[] { 1.0, 2, 3, 4, 5 }, new[] { 2.0, 1, 4, 3, 5 }), 12);
        Assert.True(double.IsNaN(LinAttn.AutoML.Statistics.Spearman(new[] { 1.0, 2 }, new[] { 1.0, 2 })));
        var (mean, sd, lo, hi) = LinAttn.AutoML.Statistics.MeanInterval(new[] { 1.0, 2, 3, 4, 5 });
        Assert.Equal(3.0, mean, 12);
        Assert.Equal(Math.Sqrt(2.5), sd, 12);
        Assert.Equal(3 - 2.776 * Math.Sqrt(2.5) / Math.Sqrt(5), lo, 12);
        Assert.Equal(3 + 2.776 * Math.Sqrt(2.5) / Math.Sqrt(5), hi, 12);
        double[] p = LinAttn.AutoML.Statistics.ProbabilityBest(new IReadOnlyList<double>[] { new[] { 1.0, 1.1, 0.9 }, new[] { 5.0, 5.1, 4.9 } }, 0);
        Assert.Equal(new[] { 1.0, 0.0 }, p);
    }

    [Fact]
    public void ProbeWidening_AddsARateBeyondTheEdgeHoldingTheBest()
    {
        Dimension prior = Dimension.Range("LearningRate", 1e-3, 1e-1, true);
        var probes = new List<TrialResult> { Probe(0, 1e-3, 1.0), Probe(1, 1e-2, 2.0), Probe(2, 1e-1, 3.0) };
        Assert.Equal(1e-4, LearningRateProbe.Widening(probes, 3, prior)!.Value, 12);
        probes = new List<TrialResult> { Probe(0, 1e-3, 3.0), Probe(1, 1e-2, 2.0), Probe(2, 1e-1, 1.0) };
        Assert.Equal(1.0, LearningRateProbe.Widening(probes, 3, prior)!.Value, 12);
        probes = new List<TrialResult> { Probe(0, 1e-3, 3.0), Probe(1, 1e-2, 1.0), Probe(2, 1e-1, double.NaN, TrialStatus.Diverged) };
        Assert.Null(LearningRateProbe.Widening(probes, 3, prior));
        Assert.Equal(1e-1, LearningRateProbe.Cliff(probes));
        var o = new OptimizerSpace("sgdm", OptimizerKind.SgdMomentum, "x", new[] { prior }, new Dictionary<string, double>());
        Dimension range = LearningRateProbe.ExplorationRange(o, probes, 1.0);
        Assert.Equal(1e-3, range.Min, 12);
        Assert.Equal(1e-1, range.Max, 12);   // capped at the cliff
    }

    private static TrialResult Probe(int id, double lr, double loss, TrialStatus status = TrialStatus.Completed) => new()
    {
        TrialId = id, Parameter = new Parameter("sgdm", OptimizerKind.SgdMomentum, new Dictionary<string, double> { ["LearningRate"] = lr }),
        Phase = TrialPhase.Probe, Status = status, Loss = loss, Steps = 5, MaxSteps = 5,
        Rungs = status == TrialStatus.Completed ? new[] { new RungResult(5, loss) } : Array.Empty<RungResult>(),
    };

    private static TrialResult Trial(int id, string optimizer, TrialStatus status, int steps, double loss, params (int Steps, double Loss)[] earlier)
    {
        var rungs = earlier.Select(e => new RungResult(e.Steps, e.Loss)).ToList();
        if (status == TrialStatus.Paused) rungs.Add(new RungResult(steps, loss));
        return new TrialResult
        {
            TrialId = id, Parameter = new Parameter(optimizer, OptimizerKind.Adam, new Dictionary<string, double> { ["LearningRate"] = 0.01 * (id + 1) }),
            Phase = TrialPhase.Exploration, MaxSteps = 90, Status = status, Steps = steps, Loss = loss, Rungs = rungs,
        };
    }
}
