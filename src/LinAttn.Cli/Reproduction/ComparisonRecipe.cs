using LinAttn.Diagnostics.Studies;
using LinAttn.Model;

namespace LinAttn.Cli.Reproduction;

/// <summary>
/// A recipe made of SGDM-vs-Adam comparisons, one per variant: plans and runs (or loads) them and writes their CSV
/// tables; the subclass lists the studies and writes its figure's panels, report and claims.
/// </summary>
internal abstract class ComparisonRecipe : Recipe
{
    /// <summary>The comparisons of a profile, in report order.</summary>
    protected abstract IReadOnlyList<(ComparisonVariant Variant, ComparisonOptions Options)> Studies(ReproductionProfile profile, int? threads);

    /// <summary>Writes the figure from the finished comparisons (same order as <see cref="Studies"/>).</summary>
    protected abstract void Report(RecipeContext context, RecipeReport report,
        IReadOnlyList<(ComparisonVariant Variant, ComparisonOptions Options)> studies, List<ComparisonResult> results);

    public sealed override WorkPlan Plan(ReproductionProfile profile, int? threads, Precision noisePrecision)
    {
        var plan = new WorkPlan();
        foreach (var (variant, options) in Studies(profile, threads)) plan.Add(variant, RecipeContext.WithNoisePrecision(options, noisePrecision));
        return plan;
    }

    public sealed override void Run(RecipeContext context, RecipeReport report)
    {
        var studies = Studies(context.Profile, context.Threads);
        List<ComparisonResult> results = context.CompareAll(studies).ToList();
        ComparisonTables.Write(context, results);
        foreach (ComparisonResult result in results)
        {
            if (Divergence.Describe(result) is string diverged)
                report.Paragraph($"**Diverged runs, {result.Variant.Label}:** {diverged}. A diverged run's curves end at that step, and " +
                    "its final values are the last ones before it (runs.csv gives each run's status).");
            if (Divergence.DescribeSkipped(result) is string skipped)
                report.Paragraph($"**Skipped steps, {result.Variant.Label}:** {skipped}. A skipped step's batch overflowed the loss or the " +
                    "gradient, which on these deep models is usually one rare prompt that the trained model amplifies past float range " +
                    "(docs/training.md); its update was not applied. A run may skip up to 1% of its steps, and stops as diverged at the " +
                    "next one or at a non-finite evaluation loss (runs.csv gives each run's count).");
        }
        Report(context, report, studies, results);
    }
}
