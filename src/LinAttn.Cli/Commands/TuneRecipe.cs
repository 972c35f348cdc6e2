using System.Text.Json;
using LinAttn.AutoML;
using LinAttn.Training;

namespace LinAttn.Cli.Commands;

/// <summary>
/// What defines a <c>linattn tune</c> experiment: the flags that decide the trial table. Stored with the study
/// (<see cref="StudyInfo.Attributes"/>) so that <c>linattn tune worker</c> rebuilds the same experiment from the study
/// alone. Holds no storage location and no credentials.
/// </summary>
internal sealed record TuneRecipe(string Preset, string Optimizers, int Steps, long? Budget, string Tuner, int GridPoints, int ConfirmSeeds,
    ulong Seed, int Layers, int BatchSize, string Sampling = "tokens", int? Dimension = null, int? ContextLength = null,
    int? MaxSkippedSteps = null, double? DivergenceRatio = null)
{
    /// <summary>The recipe's version in the study (a future format is refused with a clear message).</summary>
    public const int Format = 1;

    /// <summary>The flag of each field, for messages.</summary>
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        [nameof(Preset)] = "--preset", [nameof(Optimizers)] = "--optimizer", [nameof(Steps)] = "--steps", [nameof(Budget)] = "--budget",
        [nameof(Tuner)] = "--tuner", [nameof(GridPoints)] = "--grid-points", [nameof(ConfirmSeeds)] = "--confirm-seeds", [nameof(Seed)] = "--seed",
        [nameof(Layers)] = "--layers", [nameof(BatchSize)] = "--batch-size", [nameof(Sampling)] = "--sampling",
        [nameof(Dimension)] = "--dimension", [nameof(ContextLength)] = "--context-length",
        [nameof(MaxSkippedSteps)] = "--max-skipped-steps", [nameof(DivergenceRatio)] = "--divergence-ratio",
    };

    private sealed record Stored(int LinattnTuneRecipe, TuneRecipe Recipe);

    public string ToJson() => JsonSerializer.Serialize(new Stored(Format, this));

    /// <summary>The recipe stored with a study, or null when the study holds none (it was not made by <c>linattn tune</c>).</summary>
    public static TuneRecipe? FromJson(string? json, string study)
    {
        if (string.IsNullOrEmpty(json)) return null;
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (stored is null || stored.LinattnTuneRecipe == 0) return null;
        if (stored.LinattnTuneRecipe > Format)
            throw new InvalidOperationException($"Study '{study}' holds a linattn tune recipe of format {stored.LinattnTuneRecipe}, newer than this version's {Format}. Upgrade linattn on this worker.");
        return stored.Recipe;
    }

    /// <summary>The fields of <paramref name="given"/> that the user set explicitly and that differ from this recipe.</summary>
    public IEnumerable<string> Conflicts(TuneRecipe given, IReadOnlySet<string> explicitFlags)
    {
        foreach (var (field, flag) in Flags)
        {
            object? mine = typeof(TuneRecipe).GetProperty(field)!.GetValue(this);
            object? theirs = typeof(TuneRecipe).GetProperty(field)!.GetValue(given);
            if (explicitFlags.Contains(flag) && !Equals(mine, theirs)) yield return $"{flag} {theirs} (the study has {mine?.ToString() ?? "the default"})";
        }
    }

    public string Title => $"{PaperPresets.Describe(Preset, Dimension, ContextLength)} | tune {Optimizers} | {Steps} steps per trial, seed {Seed}, tuner {Tuner}";

    /// <summary>The experiment (no storage, concurrency or worker settings).</summary>
    public AutoMLExperiment Build()
    {
        var names = Optimizers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new ArgumentOutOfRangeException("--optimizer", "--optimizer must name at least one optimizer.");
        // A recipe stored before --dimension and --context-length existed reads them back as null: the preset's d and n.
        RunSpec task = PaperPresets.Get(Preset, OptimizerKind.Adam, seed: Seed, layers: Layers, dimension: Dimension, contextLength: ContextLength);
        // A recipe stored before --sampling existed reads back without it: tokens, what those studies trained on.
        var sampling = EnumOption.Parse<PromptSampling>(Sampling ?? "tokens", "--sampling", "values");
        // Recipes stored before --max-skipped-steps and --divergence-ratio existed read them back as null: what those
        // studies ran with (no skipped steps, the library's ratio). 0 turns the ratio rule off.
        task = task with { Training = task.Training with { BatchSize = BatchSize, Sampling = sampling, MaxSkippedSteps = MaxSkippedSteps ?? 0 } };
        double ratio = DivergenceRatio ?? AutoMLExperiment.Defaults.DivergenceLossRatio;
        var experiment = new AutoMLExperiment(task, Seed).SetDivergenceLossRatio(ratio == 0 ? null : ratio);
        foreach (string name in names)
        {
            OptimizerOptions.ParseKind(name, "--optimizer");
            experiment.AddOptimizer(name);
        }
        experiment.SetStepBudget(Steps, Budget);
        switch (Tuner.Trim().ToLowerInvariant())
        {
            case "default":
                experiment.SetDefaultTuner(new DefaultTunerOptions { ConfirmationSeeds = ConfirmSeeds });
                break;
            case "grid":
                experiment.SetGridSearchTuner(GridPoints).SetScheduler(new FullBudgetScheduler());
                break;
            case "random":
                experiment.SetRandomSearchTuner();
                break;
            default:
                throw new ArgumentOutOfRangeException("--tuner", $"--tuner '{Tuner}' is not known. Known tuners: default, grid, random.");
        }
        return experiment;
    }
}
