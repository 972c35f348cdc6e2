using LinAttn.Diagnostics.Sharing;
using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Diagnostics.Studies;

/// <summary>Stochastic gradient noise of a run's model at initialisation (PAPER.md 4(b): θ_0 from seed 1, then the
/// data draws), on prompts of the run's task.</summary>
public static class NoiseStudy
{
    /// <summary>Measures the noise at θ_0 drawn with <paramref name="seed"/> for <paramref name="spec"/>'s model and task.</summary>
    /// <param name="spec">The run (its model and task; its training options are not used).</param>
    /// <param name="seed">Seed of θ_0 and of the diagnostic batches.</param>
    /// <param name="options">Counts, bins and precision; its <see cref="GradientNoiseOptions.Seed"/> is replaced by <paramref name="seed"/>.</param>
    /// <param name="lossFactory">The engine; null uses <see cref="DiagnosticEngines.CreateGradientLoss"/> in
    /// <see cref="GradientNoiseOptions.Precision"/> on the run's <see cref="TrainingOptions.Threads"/>.</param>
    /// <param name="progress">Minibatch gradients done.</param>
    /// <param name="cancellationToken">Throws <see cref="OperationCanceledException"/> when cancelled.</param>
    public static NoiseStudyResult AtInitialisation(RunSpec spec, ulong seed, GradientNoiseOptions options,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory = null, IProgress<StudyProgress>? progress = null, CancellationToken cancellationToken = default)
        => AtInitialisation(spec, seed, options, lossFactory, progress, cancellationToken, pool: null);

    /// <summary>As the public overload; with <paramref name="pool"/>, its idle workers help with the noise minibatches,
    /// each on its own loss from the same factory (same results).</summary>
    internal static NoiseStudyResult AtInitialisation(RunSpec spec, ulong seed, GradientNoiseOptions options,
        Func<ModelOptions, IDifferentiableLoss>? lossFactory, IProgress<StudyProgress>? progress, CancellationToken cancellationToken,
        UnitPool? pool)
    {
        Check.NotNull(spec, nameof(spec)).Validate();
        options = Check.NotNull(options, nameof(options)) with { Seed = seed };
        options.Validate();
        double[] theta = LinearTransformer.InitialParameters(spec.Model, seed);
        IDifferentiableLoss CreateLoss() => lossFactory?.Invoke(spec.Model)
            ?? DiagnosticEngines.CreateGradientLoss(spec.Model, options.Precision, spec.Training.Threads);
        SampledGradientSource Source(IDifferentiableLoss loss)
            => new(loss, theta, new PromptSampler(spec.Task), options.MinibatchSize, seed, spec.Training.Threads);
        using IDifferentiableLoss loss = CreateLoss();
        NoiseHelpers? helpers = pool is null ? null : new NoiseHelpers(pool, () =>
        {
            IDifferentiableLoss helperLoss = CreateLoss();
            return (Source(helperLoss), helperLoss);
        });
        int total = options.LargeBatchMultiple + options.Minibatches;
        GradientNoiseResult result = GradientNoise.Measure(Source(loss), options,
            progress is null ? null : new InlineProgress<int>(d => progress.Report(new StudyProgress(StudyPhase.Noise, d, total))),
            cancellationToken, helpers);
        return new NoiseStudyResult
        {
            Name = spec.Name, Seed = seed, Options = options, Norms = result.Norms.ToArray(), FullGradient = result.FullGradient.ToArray(),
            Seconds = result.Seconds,
        };
    }
}
