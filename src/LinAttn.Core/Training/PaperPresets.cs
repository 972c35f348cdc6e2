using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>
/// The configurations of Ahn et al. (2024), by name: Table 1's Settings 1–3 and the spherical setting of §4.1, with the
/// authors' learning rates for SGDM and Adam (repository README, L = 3, clipping on), Adam's betas (0.9, 0.9), B = 1000,
/// 10,000 steps, init std 0.05, evaluation seed 99.
/// </summary>
public static class PaperPresets
{
    private sealed record Preset(string Name, string Description, TaskOptions Task, double SgdmRate, double AdamRate, double Clip);

    private static readonly Preset[] All =
    {
        new("setting1", "Setting 1: n = 20, x ~ N(0, I_5), w* ~ N(0, I_5)",
            new TaskOptions { ContextLength = 20, Covariates = CovariateDistribution.Gaussian }, 0.02, 0.02, 1.0),
        new("setting2", "Setting 2 (fewer contexts): n = 5, x ~ N(0, I_5)",
            new TaskOptions { ContextLength = 5, Covariates = CovariateDistribution.Gaussian }, 0.01, 0.005, 1.0),
        new("setting3", "Setting 3 (heavy-tailed covariates): n = 20, x = √Γ(0.1, 10) · Unif(S⁴)",
            new TaskOptions { ContextLength = 20, Covariates = CovariateDistribution.Gamma, GammaShape = 0.1 }, 0.02, 0.02, 1.0),
        new("sphere", "Spherical covariates (Fig. 7): n = 20, x ~ Unif(S⁴); clip 0.1 as in the authors' code",
            new TaskOptions { ContextLength = 20, Covariates = CovariateDistribution.Sphere }, 5.0, 0.1, 0.1),
    };

    /// <summary>The preset names: setting1, setting2, setting3, sphere.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    /// <summary>A one-line description of a preset.</summary>
    public static string Describe(string name) => Find(name).Description;

    /// <summary>A one-line description of a preset with its d and n overridden (as <see cref="Get"/> does); the
    /// preset's own description when neither differs from it.</summary>
    public static string Describe(string name, int? dimension, int? contextLength)
    {
        Preset preset = Find(name);
        int d = dimension ?? preset.Task.Dimension, n = contextLength ?? preset.Task.ContextLength;
        return d == preset.Task.Dimension && n == preset.Task.ContextLength
            ? preset.Description
            : $"{preset.Description}; here with d = {d}, n = {n}";
    }

    /// <summary>
    /// The preset's run for an optimizer. SGD-momentum and Adam get the authors' learning rates; other optimizers need
    /// <paramref name="learningRate"/> (the paper gives none for them).
    /// </summary>
    /// <param name="name">setting1, setting2, setting3 or sphere (case-insensitive).</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="learningRate">Overrides the preset's learning rate.</param>
    /// <param name="seed">Seed of initialisation and training batches (the paper uses 0–5).</param>
    /// <param name="layers">Overrides L = 3 (the depth study uses 2, 4, 6, 8).</param>
    /// <param name="dimension">Overrides d = 5 (Fig. 5's larger model uses 20); the covariates keep the preset's law in
    /// d dimensions.</param>
    /// <param name="contextLength">Overrides the preset's n (Fig. 5 uses 60).</param>
    /// <returns>The run, named after the preset, with "-d{d}-n{n}" appended when d or n differs from the preset's (another
    /// task, so its files do not overwrite the preset's).</returns>
    public static RunSpec Get(string name, OptimizerKind optimizer, double? learningRate = null, ulong seed = 0, int layers = 3,
        int? dimension = null, int? contextLength = null)
    {
        Preset preset = Find(name);
        TaskOptions task = preset.Task with
        {
            Dimension = dimension ?? preset.Task.Dimension,
            ContextLength = contextLength ?? preset.Task.ContextLength,
        };
        double rate = learningRate ?? optimizer switch
        {
            OptimizerKind.SgdMomentum => preset.SgdmRate,
            OptimizerKind.Adam => preset.AdamRate,
            _ => throw new ArgumentOutOfRangeException(nameof(learningRate),
                $"The paper gives learning rates for sgdm and adam only; pass a learning rate for {OptimizerOptions.ShortName(optimizer)}."),
        };
        var optimizerOptions = new OptimizerOptions
        {
            Kind = optimizer,
            LearningRate = rate,
            Momentum = OptimizerOptions.Defaults.Momentum,
            Beta1 = 0.9,
            Beta2 = 0.9,
        };
        bool resized = task.Dimension != preset.Task.Dimension || task.ContextLength != preset.Task.ContextLength;
        var spec = new RunSpec(
            resized ? $"{preset.Name}-d{task.Dimension}-n{task.ContextLength}" : preset.Name,
            new ModelOptions { Dimension = task.Dimension, Layers = layers },
            task,
            new TrainingOptions { Optimizer = optimizerOptions, ClipThreshold = preset.Clip, Seed = seed });
        spec.Validate();
        return spec;
    }

    private static Preset Find(string name)
        => All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
           ?? throw new ArgumentOutOfRangeException(nameof(name), name,
               $"preset '{name}' is not known. Known presets: {string.Join(", ", All.Select(p => p.Name))}.");
}
