using LinAttn.Cli.Reproduction;
using LinAttn.Diagnostics.Studies;
using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Tests.Cli;

/// <summary>A comparison whose runs diverged says so in the report and in the loss claim (fig5 and fig8's L = 8 runs
/// diverge in the full profile; before, the report showed PASS without a word about it).</summary>
public sealed class DivergenceReportTests
{
    private static TrajectoryResult Run(OptimizerKind optimizer, ulong seed, int steps, bool diverged) => new()
    {
        Name = "v", Optimizer = optimizer, Seed = seed, Status = diverged ? TrainingStatus.Diverged : TrainingStatus.Completed,
        TrainLoss = Enumerable.Repeat(1.0, steps).ToArray(),
        EvaluationSteps = new[] { 0, steps - 1 }, EvaluationLoss = optimizer == OptimizerKind.Adam ? new[] { 1.0, 0.1 } : new[] { 1.0, 0.5 },
    };

    private static ComparisonResult Result(params TrajectoryResult[] runs)
    {
        RunSpec spec = new("v", new ModelOptions(), new TaskOptions(), new TrainingOptions());
        var variant = new ComparisonVariant("v", "test", spec, spec);
        return new ComparisonResult(variant, runs.Where(r => r.Optimizer == OptimizerKind.SgdMomentum).ToList(),
            runs.Where(r => r.Optimizer == OptimizerKind.Adam).ToList(), null);
    }

    [Fact]
    public void Describe_CountsDivergedRunsAndTheirSteps_PerOptimizer()
    {
        ComparisonResult result = Result(
            Run(OptimizerKind.SgdMomentum, 0, 931, diverged: true), Run(OptimizerKind.SgdMomentum, 1, 10_000, diverged: false),
            Run(OptimizerKind.Adam, 0, 306, diverged: true), Run(OptimizerKind.Adam, 1, 2291, diverged: true));
        Assert.Equal("3 of 4 runs diverged (SGDM: 1 at step 930; Adam: 2 at steps 305–2290)", Divergence.Describe(result));
        Claim claim = ClaimChecks.AdamBelowSgdm(result, "-");
        Assert.Contains("3 of 4 runs diverged", claim.Measured);
        Assert.Contains("each run's last evaluation", claim.Statement);   // not one iteration: the runs stopped at different steps
        Assert.True(claim.Passed);
    }

    [Fact]
    public void ARunStoppedByItsEvaluation_EndsAtThatEvaluation_AndItsFinalLossIsTheLastFiniteOne()
    {
        TrajectoryResult stopped = Run(OptimizerKind.Adam, 2, 2550, diverged: true) with
        {
            EvaluationSteps = new[] { 0, 2500, 2550 }, EvaluationLoss = new[] { 30.0, 4.8e-5, double.PositiveInfinity },
        };
        ComparisonResult result = Result(Run(OptimizerKind.SgdMomentum, 2, 10_001, diverged: false), stopped);
        Assert.Equal(4.8e-5, stopped.FinalLoss);
        Assert.Equal("1 of 2 runs diverged (Adam: 1 at step 2550)", Divergence.Describe(result));   // not 2549, its last training step
        Claim claim = ClaimChecks.AdamBelowSgdm(result, "-");
        Assert.True(claim.Passed);   // 4.8e-5 against SGDM's 0.5, not an infinite mean
    }

    [Fact]
    public void DescribeSkipped_CountsRunsAndSteps_PerOptimizer_AndIsNullWithoutSkips()
    {
        ComparisonResult result = Result(
            Run(OptimizerKind.SgdMomentum, 0, 100, false) with { SkippedSteps = new[] { 10, 40, 41 } }, Run(OptimizerKind.SgdMomentum, 1, 100, false),
            Run(OptimizerKind.Adam, 0, 100, false) with { SkippedSteps = new[] { 7 } }, Run(OptimizerKind.Adam, 1, 100, false) with { SkippedSteps = new[] { 3, 9 } });
        Assert.Equal("3 of 4 runs skipped steps (SGDM: 1 run, 3 steps in all, at most 3 in one; Adam: 2 runs, 3 steps in all, at most 2 in one)",
            Divergence.DescribeSkipped(result));
        Assert.Null(Divergence.DescribeSkipped(Result(Run(OptimizerKind.SgdMomentum, 0, 50, false), Run(OptimizerKind.Adam, 0, 50, false))));
    }

    [Fact]
    public void Describe_IsNull_WhenNoRunDiverged()
    {
        ComparisonResult result = Result(Run(OptimizerKind.SgdMomentum, 0, 50, false), Run(OptimizerKind.Adam, 0, 50, false));
        Assert.Null(Divergence.Describe(result));
        Claim claim = ClaimChecks.AdamBelowSgdm(result, "-");
        Assert.DoesNotContain("diverged", claim.Measured);
        Assert.Contains("iteration 49", claim.Statement);
    }
}
