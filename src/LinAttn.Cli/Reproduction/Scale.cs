using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Model;

namespace LinAttn.Cli.Reproduction;

/// <summary>The sizes of an SGDM-vs-Adam comparison in a profile: seeds, steps, batches and where the diagnostics are
/// taken. <see cref="Paper"/> gives the standard sizes; recipes adjust them with <c>with</c>.</summary>
internal sealed record Scale
{
    public int Seeds { get; init; }

    public int Steps { get; init; }

    public int BatchSize { get; init; } = 1000;

    public int EvaluationBatchSize { get; init; } = 1000;

    public int EvaluateEvery { get; init; } = 50;

    public int[] ConditionSteps { get; init; } = Array.Empty<int>();

    public int[] SpectrumSteps { get; init; } = Array.Empty<int>();

    /// <summary>Directional smoothness every this many iterations (0: none).</summary>
    public int SmoothnessEvery { get; init; }

    public int NoiseMinibatches { get; init; }

    public int NoiseLargeMultiple { get; init; } = 100;

    /// <summary>The paper's procedure (Full) and its reduced versions.</summary>
    public static Scale Paper(ReproductionProfile profile) => profile switch
    {
        ReproductionProfile.Full => new Scale
        {
            Seeds = 6, Steps = 10_000, ConditionSteps = TrajectoryOptions.Every(250, 9750), SpectrumSteps = new[] { 750, 1250 },
            SmoothnessEvery = 250, NoiseMinibatches = 10_000,
        },
        ReproductionProfile.Quick => new Scale
        {
            Seeds = 6, Steps = 1250, ConditionSteps = new[] { 750, 1250 }, SpectrumSteps = new[] { 750, 1250 },
            SmoothnessEvery = 125, NoiseMinibatches = 1000,
        },
        _ => new Scale
        {
            Seeds = 2, Steps = 40, BatchSize = 64, EvaluationBatchSize = 128, EvaluateEvery = 10, ConditionSteps = new[] { 20, 40 },
            SpectrumSteps = new[] { 40 }, SmoothnessEvery = 10, NoiseMinibatches = 30, NoiseLargeMultiple = 4,
        },
    };

    /// <summary>The iterations of the paper's R_med table (750, 1250) that this scale measures.</summary>
    public int[] TableSteps => ConditionSteps.Where(t => t is 750 or 1250).DefaultIfEmpty(ConditionSteps.LastOrDefault()).Distinct().ToArray();

    public ComparisonVariant Apply(ComparisonVariant variant, int? threads) => variant.With(spec => spec with
    {
        Training = spec.Training with
        {
            Steps = Steps, BatchSize = BatchSize, EvaluationBatchSize = EvaluationBatchSize, EvaluateEvery = EvaluateEvery, Threads = threads,
        },
    });

    /// <summary>Lets every run of <paramref name="variant"/> skip up to 1% of its steps whose loss or gradient overflows
    /// (<see cref="Training.TrainingOptions.MaxSkippedSteps"/>): deep models trained to high accuracy send a few rare prompts past float
    /// range whatever the learning rate (docs/training.md), and would otherwise stop there.</summary>
    public ComparisonVariant SkippingRarePromptSteps(ComparisonVariant variant)
        => variant.With(spec => spec with { Training = spec.Training with { MaxSkippedSteps = Steps / 100 } });

    /// <summary>How the noise of <paramref name="results"/> computed its gradients, for the reports (read from the
    /// results, so a report never claims a precision that loaded units did not use).</summary>
    public static string NoiseArithmetic(IEnumerable<ComparisonResult> results)
        => string.Join(" / ", results.Select(r => r.Noise?.Options.Precision).OfType<Precision>().Distinct()
            .Select(p => p == Precision.Float32 ? "float32 gradients, as the authors' code" : "float64 gradients"));

    public ComparisonOptions Options(bool noise = true, bool condition = true, bool smoothness = true) => new()
    {
        Seeds = Enumerable.Range(0, Seeds).Select(s => (ulong)s).ToArray(),
        Trajectory = new TrajectoryOptions
        {
            ConditionSteps = condition ? ConditionSteps : Array.Empty<int>(),
            SpectrumSteps = condition ? SpectrumSteps : Array.Empty<int>(),
            SmoothnessSteps = smoothness && SmoothnessEvery > 0 ? TrajectoryOptions.Every(SmoothnessEvery, Steps - 1) : Array.Empty<int>(),
        },
        Noise = noise
            ? new GradientNoiseOptions { MinibatchSize = BatchSize, Minibatches = NoiseMinibatches, LargeBatchMultiple = NoiseLargeMultiple }
            : null,
        NoiseSeed = 1,
    };
}
