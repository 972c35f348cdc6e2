using LinAttn.Model;

namespace LinAttn.Cli.Reproduction;

/// <summary>
/// One reproduction target of PAPER.md §5: which runs and diagnostics it needs in a profile (<see cref="Plan"/>), and
/// how it turns them into CSV tables, PNG panels, a report and checked claims (<see cref="Run"/>). Plan and Run use the
/// same study list, so the progress weights match the work.
/// </summary>
internal abstract class Recipe
{
    /// <summary>The command-line name (fig2, fig4, ..., nonlinear).</summary>
    public abstract string Name { get; }

    /// <summary>The report title.</summary>
    public abstract string Title { get; }

    /// <summary>The units to run, with cost weights (the noise weighted for <paramref name="noisePrecision"/>).</summary>
    public abstract WorkPlan Plan(ReproductionProfile profile, int? threads, Precision noisePrecision);

    /// <summary>Runs (or loads) the units and writes the outputs into <see cref="RecipeContext.Folder"/>.</summary>
    public abstract void Run(RecipeContext context, RecipeReport report);
}
