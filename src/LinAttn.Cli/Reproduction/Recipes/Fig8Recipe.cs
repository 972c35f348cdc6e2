using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Training;

namespace LinAttn.Cli.Reproduction.Recipes;

/// <summary>Fig. 8: the depth study, L = 2, 4, 6, 8 on Setting 1: loss curves, noise histograms and robust condition
/// numbers, with the claims of PAPER.md 4(f).</summary>
internal sealed class Fig8Recipe : Recipe
{
    private static readonly int[] Depths = { 2, 4, 6, 8 };

    public override string Name => "fig8";

    public override string Title => "Figure 8: depth L = 2, 4, 6, 8 (Setting 1)";

    private static Scale ScaleOf(ReproductionProfile profile) => profile switch
    {
        ReproductionProfile.Full => Scale.Paper(profile) with { SmoothnessEvery = 0 },
        ReproductionProfile.Quick => Scale.Paper(profile) with
        {
            Seeds = 2, Steps = 1000, ConditionSteps = new[] { 750 }, SpectrumSteps = Array.Empty<int>(), SmoothnessEvery = 0, NoiseMinibatches = 500,
        },
        _ => Scale.Paper(profile) with { SmoothnessEvery = 0 },
    };

    private static IReadOnlyList<(ComparisonVariant Variant, ComparisonOptions Options)> Studies(ReproductionProfile profile, int? threads)
    {
        Scale scale = ScaleOf(profile);
        return Sweeps.Depth("setting1", Depths).Select(v => (scale.Apply(v, threads), scale.Options(smoothness: false))).ToList();
    }

    public override WorkPlan Plan(ReproductionProfile profile, int? threads)
    {
        var plan = new WorkPlan();
        foreach (var (variant, options) in Studies(profile, threads)) plan.Add(variant, options);
        return plan;
    }

    public override void Run(RecipeContext context, RecipeReport report)
    {
        var studies = Studies(context.Profile, context.Threads);
        List<ComparisonResult> results = studies.Select(s => context.Compare(s.Variant, s.Options)).ToList();
        ComparisonTables.Write(context, results);
        Scale scale = ScaleOf(context.Profile);
        int table = scale.TableSteps.Last();
        report.Paragraph($"Setting 1 (n = 20, x ~ N(0, I₅)) with L = 2, 4, 6, 8 and the Setting-1 learning rates (0.02 for both; the paper gives none " +
            $"for other depths), clipping at 1. {scale.Seeds} seeds × {scale.Steps} steps; R_med at {string.Join(", ", scale.ConditionSteps.Take(6))}" +
            $"{(scale.ConditionSteps.Length > 6 ? ", …" : "")}; noise at θ_0 (seed 1) from {scale.NoiseMinibatches} minibatches.");
        report.Image(ComparisonFigures.Loss(context, "fig8-loss.png", results, r => $"L = {r.Variant.Adam.Model.Layers}"),
            "(1) Evaluation loss, SGDM black vs Adam red, per depth: mean ± std/4 (log scale).");
        report.Image(ComparisonFigures.Noise(context, "fig8-noise.png", results.Select(r => ($"L = {r.Variant.Adam.Model.Layers}", r.NoiseStatistics!)).ToList()),
            "(2) Gradient noise at initialisation per depth: histograms and normal Q-Q plots.");
        report.Image(ComparisonFigures.Condition(context, "fig8-condition.png", results, r => $"L = {r.Variant.Adam.Model.Layers}"),
            "(3) R_med (|diag H|) per depth: mean ± std/2 (log scale).");
        report.Table(new[] { "L", "SGDM final", "Adam final", "SGDM/Adam", "excess kurtosis", "Hill α", $"R^SGD/R^Adam at {table}" },
            results.Select(r => (IReadOnlyList<string>)new[]
            {
                Fmt.I(r.Variant.Adam.Model.Layers), Fmt.E(r.FinalLoss(OptimizerKind.SgdMomentum)), Fmt.E(r.FinalLoss(OptimizerKind.Adam)), Fmt.F(Gap(r)),
                Fmt.F(r.NoiseStatistics!.Tails.ExcessKurtosis), Fmt.F(r.NoiseStatistics.Tails.Hill?.TailIndex ?? double.NaN, 1),
                Fmt.MeanStd(r.ConditionRatio(table).Mean, r.ConditionRatio(table).StandardDeviation),
            }));

        ComparisonResult l2 = results[0], l4 = results[1], l6 = results[2], l8 = results[3];
        report.Claims.Add(new Claim("gap-grows", "The Adam–SGDM loss gap (SGDM/Adam final loss) grows with depth: larger at L = 8 than at L = 2",
            Gap(l8) > Gap(l2), $"{string.Join(", ", results.Select(r => $"L{r.Variant.Adam.Model.Layers}: {Fmt.F(Gap(r))}"))}", "the gap grows with L"));
        foreach (OptimizerKind o in OptimizerComparison.Optimizers)
            report.Claims.Add(new Claim($"deeper-lower-{OptimizerOptions.ShortName(o)}", $"{Cli.Output.Plots.PaperStyle.Label(o)}: the loss decreases with depth (L = 8 below L = 2)",
                l8.FinalLoss(o) < l2.FinalLoss(o), string.Join(", ", results.Select(r => $"L{r.Variant.Adam.Model.Layers}: {Fmt.E(r.FinalLoss(o))}")),
                "absolute loss decreases with L for both"));
        double K(ComparisonResult r) => r.NoiseStatistics!.Tails.ExcessKurtosis;
        report.Claims.Add(new Claim("noise-deep", "Noise is more heavy-tailed for L = 6, 8 than for L = 2, 4 (excess kurtosis)",
            Math.Min(K(l6), K(l8)) > Math.Max(K(l2), K(l4)), string.Join(", ", results.Select(r => $"L{r.Variant.Adam.Model.Layers}: {Fmt.F(K(r))}")),
            "more heavy-tailed for L = 6, 8 than for L = 2, 4"));
        double H(ComparisonResult r) => r.NoiseStatistics!.Tails.Hill?.TailIndex ?? double.NaN;
        report.Claims.Add(new Claim("noise-l2-l8", "L = 2 is much less heavy-tailed than L = 8 (smaller kurtosis and larger Hill index)",
            K(l2) < K(l8) && H(l2) > H(l8), $"kurtosis {Fmt.F(K(l2))} vs {Fmt.F(K(l8))}, Hill α {Fmt.F(H(l2), 1)} vs {Fmt.F(H(l8), 1)}", "L = 2 much less heavy-tailed than L = 8"));
        double R(ComparisonResult r) => r.ConditionRatio(table).Mean;
        report.Claims.Add(new Claim("condition-deep", $"The R_med gap at iteration {table} is larger for L = 4, 6, 8 than for L = 2",
            ClaimChecks.Both(R(l2), R(l8)) ? new[] { l4, l6, l8 }.All(r => R(r) > R(l2)) : null,
            string.Join(", ", results.Select(r => $"L{r.Variant.Adam.Model.Layers}: {Fmt.F(R(r))}")), "larger for L = 4, 6, 8 than for L = 2"));
    }

    private static double Gap(ComparisonResult r) => r.FinalLoss(OptimizerKind.SgdMomentum) / r.FinalLoss(OptimizerKind.Adam);
}
