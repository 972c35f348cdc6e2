using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Diagnostics.Studies;

/// <summary>
/// The paper's comparisons and sweeps as <see cref="ComparisonVariant"/>s (PAPER.md 4(f)): a preset, the depth sweep
/// over L and the covariate (data-tail) sweep. Learning rates are the authors' for L = 3 (the paper gives none for
/// other depths; the depth sweep keeps them).
/// </summary>
public static class Sweeps
{
    /// <summary>A paper preset (setting1, setting2, setting3, sphere) under SGDM and Adam with the authors' rates.</summary>
    /// <param name="preset">The preset name.</param>
    /// <param name="layers">L (3 in the paper's base model).</param>
    /// <param name="label">Label; null uses the preset name.</param>
    public static ComparisonVariant Preset(string preset, int layers = 3, string? label = null)
    {
        RunSpec sgdm = PaperPresets.Get(preset, OptimizerKind.SgdMomentum, layers: layers);
        RunSpec adam = PaperPresets.Get(preset, OptimizerKind.Adam, layers: layers);
        string description = layers == 3 ? PaperPresets.Describe(preset) : $"{PaperPresets.Describe(preset)}; L = {layers}";
        return new ComparisonVariant(label ?? sgdm.Name, description, sgdm, adam);
    }

    /// <summary>A configuration the presets do not cover (e.g. Fig. 5's L = 8, d = 20, n = 60): the paper's training
    /// conventions (B = 1000, Adam betas (0.9, 0.9), SGD momentum 0.9, 10,000 steps, evaluation seed 99) with the given
    /// model, task, learning rates and clipping threshold.</summary>
    public static ComparisonVariant Of(string label, string description, ModelOptions model, TaskOptions task, double sgdmRate, double adamRate, double clip = 1.0)
    {
        RunSpec Make(OptimizerKind kind, double rate) => new(label, model, task, new TrainingOptions
        {
            ClipThreshold = clip,
            Optimizer = new OptimizerOptions { Kind = kind, LearningRate = rate, Momentum = OptimizerOptions.Defaults.Momentum, Beta1 = 0.9, Beta2 = 0.9 },
        });
        RunSpec sgdm = Make(OptimizerKind.SgdMomentum, sgdmRate), adam = Make(OptimizerKind.Adam, adamRate);
        sgdm.Validate();
        adam.Validate();
        return new ComparisonVariant(label, description, sgdm, adam);
    }

    /// <summary>The depth study (Fig. 8): <paramref name="preset"/> at each L, labelled "L{L}".</summary>
    /// <param name="preset">The preset.</param>
    /// <param name="depths">The values of L.</param>
    /// <param name="learningRateScale">Multiplies both optimizers' learning rates at depth L (the paper gives no rates
    /// for L ≠ 3); null keeps the preset's.</param>
    public static IReadOnlyList<ComparisonVariant> Depth(string preset, IEnumerable<int> depths, Func<int, double>? learningRateScale = null)
        => Check.NotNull(depths, nameof(depths)).Select(l =>
        {
            ComparisonVariant v = Preset(preset, l, $"L{l}");
            double scale = learningRateScale?.Invoke(l) ?? 1.0;
            return scale == 1.0 ? v : v.With(s => s with
            {
                Training = s.Training with { Optimizer = s.Training.Optimizer with { LearningRate = s.Training.Optimizer.LearningRate * scale } },
            });
        }).ToList();

    /// <summary>The data-tail study (Fig. 7): the same model under several covariate laws, one preset each
    /// (the paper: "sphere" vs "setting3", the Gamma-scaled sphere).</summary>
    public static IReadOnlyList<ComparisonVariant> Covariates(IEnumerable<string> presets)
        => Check.NotNull(presets, nameof(presets)).Select(p => Preset(p)).ToList();
}
