using LinAttn.Diagnostics.Studies;
using LinAttn.Model;
using LinAttn.Training;
using Spectre.Console;

namespace LinAttn.Cli.Reproduction;

/// <summary>Everything a recipe needs while it runs: its folder, profile, the unit store (resume), progress and
/// cancellation.</summary>
internal sealed class RecipeContext
{
    public required string Folder { get; init; }

    public required ReproductionProfile Profile { get; init; }

    public required IAnsiConsole Console { get; init; }

    public required IStudyStore Store { get; init; }

    public IProgress<ComparisonProgress>? Progress { get; init; }

    public CancellationToken Token { get; init; }

    public int? Threads { get; init; }

    /// <summary>Arithmetic of the gradient-noise minibatch gradients (<c>--noise-precision</c>); float32 by default,
    /// as the authors' code.</summary>
    public Precision NoisePrecision { get; init; } = Precision.Float32;

    /// <summary>The engine for diagnostics; null: the library default.</summary>
    public Func<ModelOptions, IDifferentiableLoss>? LossFactory { get; init; }

    public List<string> Files { get; } = new();

    /// <summary>The path of an output file, remembered for the report's file list.</summary>
    public string PathOf(string file)
    {
        if (!Files.Contains(file)) Files.Add(file);
        return Path.Combine(Folder, file);
    }

    /// <summary>Runs (or loads) a comparison with one single-threaded run per core at once (<see cref="Threads"/>
    /// cores when given).</summary>
    public ComparisonResult Compare(ComparisonVariant variant, ComparisonOptions options)
        => OptimizerComparison.Run(variant, Adjust(options), Store, LossFactory, Progress, Token);

    /// <summary>Several comparisons as one pool of work (<see cref="OptimizerComparison.RunAll"/>), results in order.</summary>
    public ComparisonResult[] CompareAll(IEnumerable<(ComparisonVariant Variant, ComparisonOptions Options)> studies)
        => OptimizerComparison.RunAll(studies.Select(s => (s.Variant, Adjust(s.Options))).ToArray(), Store, LossFactory, Progress, Token);

    // The command line's choices: cores and the noise's arithmetic.
    private ComparisonOptions Adjust(ComparisonOptions options)
        => WithNoisePrecision(options, NoisePrecision) with { ParallelRuns = Threads ?? Environment.ProcessorCount };

    /// <summary><paramref name="options"/> with its noise (if any) computed in <paramref name="precision"/>; the plan
    /// and the run apply it the same way.</summary>
    public static ComparisonOptions WithNoisePrecision(ComparisonOptions options, Precision precision)
        => options.Noise is null ? options : options with { Noise = options.Noise with { Precision = precision } };

    public TrajectoryResult Trajectory(string key, RunSpec spec, TrajectoryOptions options)
        => OptimizerComparison.RunTrajectory(key, spec, options, Store, LossFactory, Progress, Token);
}
