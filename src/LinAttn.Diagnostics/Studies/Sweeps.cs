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

    /// <summary>The depth study (Fig. 8): <paramref name="preset"/> at each L, labelled "L{L}".</summary>
    public static IReadOnlyList<ComparisonVariant> Depth(string preset, IEnumerable<int> depths)
        => Check.NotNull(depths, nameof(depths)).Select(l => Preset(preset, l, $"L{l}")).ToList();

    /// <summary>The data-tail study (Fig. 7): the same model under several covariate laws, one preset each
    /// (the paper: "sphere" vs "setting3", the Gamma-scaled sphere).</summary>
    public static IReadOnlyList<ComparisonVariant> Covariates(IEnumerable<string> presets)
        => Check.NotNull(presets, nameof(presets)).Select(p => Preset(p)).ToList();
}
