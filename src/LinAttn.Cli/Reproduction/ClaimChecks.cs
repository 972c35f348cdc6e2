using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Training;

namespace LinAttn.Cli.Reproduction;

/// <summary>The paper's recurring claims, evaluated on a comparison.</summary>
internal static class ClaimChecks
{
    public static Claim AdamBelowSgdm(ComparisonResult r, string paper, bool required = false)
    {
        double adam = r.FinalLoss(OptimizerKind.Adam), sgdm = r.FinalLoss(OptimizerKind.SgdMomentum);
        int step = r.Adam.FirstOrDefault()?.EvaluationSteps.LastOrDefault() ?? 0;
        string measured = $"{Fmt.E(adam)} (Adam) vs {Fmt.E(sgdm)} (SGDM), ratio {Fmt.F(sgdm / adam)}";
        string when = $"iteration {step}";
        if (Divergence.Describe(r) is string diverged)
        {
            measured += $"; {diverged}: their last evaluation before it is used";
            when = "each run's last evaluation";   // diverged runs stop at different steps
        }
        return new Claim($"{r.Variant.Label}-loss", $"{r.Variant.Label}: Adam's final evaluation loss < SGDM's ({when}, mean over seeds)",
            Both(adam, sgdm) ? adam < sgdm : null, measured, paper, required);
    }

    public static Claim NoiseHeavyTailed(string label, GradientNoiseResult? noise, string paper, bool required = false)
    {
        TailSummary? t = noise?.Tails;
        bool? passed = t is null ? null : t.Skewness > 0 && t.ExcessKurtosis > 0;
        return new Claim($"{label}-noise", $"{label}: gradient noise at initialisation is right-skewed (skewness > 0) with excess kurtosis > 0",
            passed, t is null ? "not measured" : Describe(t), paper, required);
    }

    public static string Describe(TailSummary t)
        => $"skewness {Fmt.F(t.Skewness)}, excess kurtosis {Fmt.F(t.ExcessKurtosis)}, q99/q50 {Fmt.F(t.Ratio99)}, Hill α {Fmt.F(t.Hill?.TailIndex ?? double.NaN, 1)} (k = {t.Hill?.K}), n = {t.Count}";

    public static Claim RatioAboveOne(ComparisonResult r, int step, string paper, bool required = false)
    {
        RatioSummary ratio = r.ConditionRatio(step);
        return new Claim($"{r.Variant.Label}-ratio-{step}", $"{r.Variant.Label}: R^SGD_med / R^Adam_med > 1 at iteration {step} (mean over seeds)",
            ratio.PerSeed.Count > 0 ? ratio.Mean > 1 : null,
            $"{Fmt.MeanStd(ratio.Mean, ratio.StandardDeviation)} over {ratio.PerSeed.Count} seeds [{string.Join(", ", ratio.PerSeed.Select(x => Fmt.F(x)))}]",
            paper, required);
    }

    /// <summary>Geometric mean over the measured iterations of the seed-mean DS (positive means only).</summary>
    public static double TypicalSmoothness(ComparisonResult r, OptimizerKind o)
    {
        double[] logs = r.SmoothnessBand(o).Mean.Where(m => m > 0).Select(m => Math.Log(m)).ToArray();
        return logs.Length > 0 ? Math.Exp(logs.Average()) : double.NaN;
    }

    public static Claim SmoothnessAdamSmaller(ComparisonResult r, string paper)
    {
        double adam = TypicalSmoothness(r, OptimizerKind.Adam), sgdm = TypicalSmoothness(r, OptimizerKind.SgdMomentum);
        return new Claim($"{r.Variant.Label}-smoothness", $"{r.Variant.Label}: directional smoothness is smaller for Adam than for SGDM",
            Both(adam, sgdm) ? adam < sgdm : null, $"{Fmt.E(adam)} (Adam) vs {Fmt.E(sgdm)} (SGDM), geometric mean over iterations of the seed mean", paper);
    }

    public static bool Both(double a, double b) => double.IsFinite(a) && double.IsFinite(b);
}
