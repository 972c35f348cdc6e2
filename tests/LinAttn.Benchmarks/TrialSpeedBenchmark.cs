using System.Diagnostics;
using LinAttn.AutoML;
using LinAttn.Training;

namespace LinAttn.Benchmarks;

/// <summary>
/// Whether an AutoML trial trains at the speed of a plain run: the same Setting 1 Adam run (B = 1000, one thread, one
/// evaluation at the end, as trials are built) through <see cref="TrainingTrialRunner"/> and through
/// <see cref="Runner.Start"/>, alternating (and alternating which goes first), six times each; prints medians, the ratio, and checks that both give the
/// same final loss (they train the same run).
/// </summary>
internal static class TrialSpeedBenchmark
{
    public static int Run(int steps)
    {
        const ulong seed = 7;
        RunSpec baseSpec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var parameter = new Parameter("adam", OptimizerKind.Adam, new Dictionary<string, double> { ["LearningRate"] = 0.02 });
        var settings = new TrialSettings { TrialId = 1, Parameter = parameter, Phase = TrialPhase.Search, MaxSteps = steps, Steps = steps };
        RunSpec plain = TrialSpecBuilder.Build(baseSpec, settings, seed, null, TrialSpecBuilder.SharedOptionNames);

        double PlainRun(out double loss)
        {
            var clock = Stopwatch.StartNew();
            using TrainingRun run = Runner.Start(plain);
            TrainingResult result = run.Advance(steps, null, CancellationToken.None)!;
            loss = result.History.FinalEvaluationLoss;
            return clock.Elapsed.TotalSeconds;
        }

        double TrialRun(out double loss)
        {
            var clock = Stopwatch.StartNew();
            using var runner = new TrainingTrialRunner(baseSpec, seed, null);
            TrialResult result = runner.RunAsync(settings.Clone(), CancellationToken.None).GetAwaiter().GetResult();
            loss = result.Loss;
            return clock.Elapsed.TotalSeconds;
        }

        PlainRun(out _);
        TrialRun(out _);
        var plainTimes = new List<double>();
        var trialTimes = new List<double>();
        double plainLoss = 0, trialLoss = 0;
        for (int r = 0; r < 6; r++)   // which goes first alternates too
        {
            if (r % 2 == 0) plainTimes.Add(PlainRun(out plainLoss));
            trialTimes.Add(TrialRun(out trialLoss));
            if (r % 2 == 1) plainTimes.Add(PlainRun(out plainLoss));
        }
        double Median(List<double> x) { var o = x.Order().ToArray(); return (o[(o.Length - 1) / 2] + o[o.Length / 2]) / 2; }
        double p = Median(plainTimes), t = Median(trialTimes);
        Console.WriteLine($"Setting 1, Adam lr 0.02, B = 1000, {steps} steps, one thread; medians of 6 alternating runs");
        Console.WriteLine($"plain run (Runner.Start)          {p:F3} s  {p / steps * 1e6,7:F1} µs/step  (min {plainTimes.Min():F3}, max {plainTimes.Max():F3})");
        Console.WriteLine($"AutoML trial (TrainingTrialRunner) {t:F3} s  {t / steps * 1e6,7:F1} µs/step  (min {trialTimes.Min():F3}, max {trialTimes.Max():F3})");
        Console.WriteLine($"trial / plain: {t / p:F3}; final evaluation loss {plainLoss:R} (plain) vs {trialLoss:R} (trial)");
        if (plainLoss != trialLoss)
        {
            Console.Error.WriteLine("the trial did not train the same run as the plain run");
            return 1;
        }
        return 0;
    }
}
