using LinAttn.Cli.Output.Plots;
using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training;
using ScottPlot;

namespace LinAttn.Cli.Reproduction.Recipes;

/// <summary>
/// The nonlinear-regression experiment (PAPER.md 4(g), from the authors' <c>nonlinear_regression.ipynb</c>): targets
/// y = ⟨w*, φ(x)⟩ with a fixed random ReLU feature map φ, a model with a trainable MLP on x before three dense
/// (Full) linear-attention layers (551 parameters); loss, noise with a Q-Q plot, R_med and directional smoothness.
/// </summary>
internal sealed class NonlinearRecipe : ComparisonRecipe
{
    public override string Name => "nonlinear";

    public override string Title => "Nonlinear regression: MLP features + 3 linear-attention layers (authors' notebook, probably v2)";

    private static Scale ScaleOf(ReproductionProfile profile) => profile switch
    {
        ReproductionProfile.Full => Scale.Paper(profile) with { Seeds = 5, BatchSize = 2000, NoiseMinibatches = 100_000 },
        ReproductionProfile.Quick => Scale.Paper(profile) with { BatchSize = 2000 },
        _ => Scale.Paper(profile),
    };

    protected override IReadOnlyList<(ComparisonVariant Variant, ComparisonOptions Options)> Studies(ReproductionProfile profile, int? threads)
    {
        Scale scale = ScaleOf(profile);
        ComparisonVariant variant = Sweeps.Of("nonlinear",
            "y = ⟨w*, φ(x)⟩, φ = Linear(5→10)–ReLU–Linear(10→5) fixed (seed 7); model: trainable MLP 5→30→5 on x, then 3 Full LSA layers, init std 0.1",
            new ModelOptions { Parametrization = Parametrization.Full, InitStd = 0.1, FeatureMlpWidth = 30 },
            new TaskOptions { Target = TargetFunction.RandomReluFeatures }, sgdmRate: 0.05, adamRate: 0.01);
        return new[] { (scale.Apply(variant, threads), scale.Options() with { NoiseSeed = 7 }) };
    }

    protected override void Report(RecipeContext context, RecipeReport report,
        IReadOnlyList<(ComparisonVariant Variant, ComparisonOptions Options)> studies, List<ComparisonResult> results)
    {
        ComparisonVariant variant = studies[0].Variant;
        ComparisonResult r = results[0];
        Scale scale = ScaleOf(context.Profile);
        report.Paragraph($"{variant.Description}; {variant.Adam.Model.ParameterCount} parameters (216 attention + 335 MLP). B = {scale.BatchSize}, " +
            $"SGDM lr 0.05, Adam lr 0.01 (β = (0.9, 0.9)), clipping at 1, {scale.Seeds} seeds × {scale.Steps} steps. Noise at θ_0 of seed 7 from " +
            $"{scale.NoiseMinibatches} minibatches of {scale.BatchSize} (full gradient on {scale.NoiseLargeMultiple}·B prompts; {Scale.NoiseArithmetic(results)}). Diagnostics on the fixed " +
            "evaluation batch (seed 99, 1000 prompts); the notebook draws its Hessian batch with the training seed and re-creates the target map in its " +
            "smoothness cell (a quirk we do not copy).");

        SeedBand Log(OptimizerKind o) => SeedBand.Across(r.Runs(o).Select(run => Thinned(run.TrainLoss, 10)), Math.Log);
        Plot logLoss = BandPlot.Create("log(training loss)", "log(training loss)", ComparisonFigures.Series(r, Log), 0.5, logY: false);
        Plot evalLoss = BandPlot.Create("evaluation loss", "Evaluation loss", ComparisonFigures.Series(r, o => r.LossBand(o)), 0.25, logY: true);
        PaperStyle.Save(context.PathOf("nonlinear-loss.png"), new[] { logLoss, evalLoss }, 2);
        report.Image("nonlinear-loss.png", "Left: mean over seeds of log(training loss) ± std/2 (the notebook's plot, every 10th step). Right: evaluation loss ± std/4 (log scale).");
        report.Image(ComparisonFigures.Noise(context, "nonlinear-noise.png", new[] { ("noise at initialisation", r.NoiseStatistics!) }),
            "Gradient noise at θ_0: density histogram and normal Q-Q plot (the notebook shows the Q-Q plot as an inset).");
        report.Image(ComparisonFigures.Condition(context, "nonlinear-condition.png", new[] { r }, _ => "R_med (551 parameters)"),
            "R_med (|diag H| over all 551 parameters): mean ± std/2 (log scale).");
        report.Image(ComparisonFigures.Smoothness(context, "nonlinear-smoothness.png", new[] { r }, _ => "directional smoothness"),
            "Directional smoothness along the trajectory: mean ± std/4 (log scale).");

        double finalAdam = Log(OptimizerKind.Adam).FinalMean, finalSgdm = Log(OptimizerKind.SgdMomentum).FinalMean;
        report.Claims.Add(ClaimChecks.AdamBelowSgdm(r, $"SGDM plateaus near log-loss −4.5, Adam noisy around −6 to −8 (ours, last step: SGDM {Fmt.F(finalSgdm)}, Adam {Fmt.F(finalAdam)})"));
        report.Claims.Add(ClaimChecks.NoiseHeavyTailed(variant.Label, r.NoiseStatistics, "right tail heavier than Gaussian (convex Q-Q curve)"));
        NormalQuantilePlot qq = r.NoiseStatistics!.QuantilePlot;
        report.Claims.Add(new Claim("nonlinear-qq", "nonlinear: the normal Q-Q curve of the noise bends above the line at the top (heavier right tail)",
            qq.UpperTailExcess > 0, $"maximum lies {Fmt.F(qq.UpperTailExcess)} σ above the fitted line (r = {Fmt.F(qq.Correlation, 3)})", "convex Q-Q curve"));
        foreach (int step in scale.TableSteps)
            report.Claims.Add(ClaimChecks.RatioAboveOne(r, step, step == 750 ? "5.41 (3.96) (notebook output)" : step == 1250 ? "6.61 (2.54) (notebook output)" : "-"));
        report.Claims.Add(ClaimChecks.SmoothnessAdamSmaller(r, "Adam's directional smoothness is smaller (notebook plot)"));
    }

    private static StepSeries Thinned(double[] values, int every)
    {
        int[] steps = Enumerable.Range(0, (values.Length + every - 1) / every).Select(i => i * every).ToArray();
        return new StepSeries(steps, steps.Select(t => values[t]).ToArray());
    }
}
