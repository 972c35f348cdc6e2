using LinAttn.MLNet.Internal;

namespace LinAttn.MLNet.Prompts;

/// <summary>
/// Options of <see cref="LinearAttentionCatalog.BuildInContextPrompts"/>: how grouped tabular rows become prompts.
/// Output columns: <see cref="OutputFeatureColumnName"/> (Vector&lt;Single&gt; of k(d+1)+d values, zero-padded when a
/// group has fewer than k other rows), <see cref="OutputLabelColumnName"/> (Single, the query row's label),
/// <see cref="OutputContextLengthColumnName"/> (Single, the number of real context pairs) and
/// <see cref="OutputGroupColumnName"/> (Text, the group).
/// </summary>
public sealed class GroupedPromptOptions
{
    /// <summary>Default values.</summary>
    public static class Defaults
    {
        /// <summary>k = 10 context rows per prompt.</summary>
        public const int ContextSize = 10;

        /// <summary>"Features".</summary>
        public const string OutputFeatureColumnName = "Features";

        /// <summary>"Label".</summary>
        public const string OutputLabelColumnName = "Label";

        /// <summary>"ContextLength".</summary>
        public const string OutputContextLengthColumnName = "ContextLength";

        /// <summary>"Group".</summary>
        public const string OutputGroupColumnName = "Group";
    }

    /// <summary>The column naming each row's group (customer, sensor, task): text, key or number. Required.</summary>
    public string GroupColumnName { get; set; } = string.Empty;

    /// <summary>Numeric feature columns, concatenated in this order into x ∈ R^d: scalars (Single, Double, Int32, Int64)
    /// or known-size vectors of Single or Double. Required.</summary>
    public string[] FeatureColumnNames { get; set; } = Array.Empty<string>();

    /// <summary>The numeric label column (Single or Double). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>k, the maximum number of context rows per prompt. Range: ≥ 1. Default 10.</summary>
    public int ContextSize { get; set; } = Defaults.ContextSize;

    /// <summary>Seed of the context draws: the same seed and data give the same prompts. Range: ≥ 0.</summary>
    public int Seed { get; set; }

    /// <summary>Layout of the output prompt vector. Default interleaved.</summary>
    public PromptLayout Layout { get; set; } = PromptLayout.Interleaved;

    /// <summary>Name of the output prompt column.</summary>
    public string OutputFeatureColumnName { get; set; } = Defaults.OutputFeatureColumnName;

    /// <summary>Name of the output label column.</summary>
    public string OutputLabelColumnName { get; set; } = Defaults.OutputLabelColumnName;

    /// <summary>Name of the output context-length column (pass it to the trainer's ContextLengthColumnName).</summary>
    public string OutputContextLengthColumnName { get; set; } = Defaults.OutputContextLengthColumnName;

    /// <summary>Name of the output group column.</summary>
    public string OutputGroupColumnName { get; set; } = Defaults.OutputGroupColumnName;

    internal void Validate()
    {
        Guard.NotEmpty(GroupColumnName, nameof(GroupColumnName));
        Guard.That(FeatureColumnNames is { Length: > 0 }, nameof(FeatureColumnNames),
            $"{nameof(FeatureColumnNames)} must name at least one numeric column, but was empty.");
        foreach (string name in FeatureColumnNames) Guard.NotEmpty(name, nameof(FeatureColumnNames));
        Guard.NotEmpty(LabelColumnName, nameof(LabelColumnName));
        Guard.Positive(ContextSize, nameof(ContextSize));
        Guard.NonNegative(Seed, nameof(Seed));
        Guard.Defined(Layout, nameof(Layout));
        string[] outputs = { OutputFeatureColumnName, OutputLabelColumnName, OutputContextLengthColumnName, OutputGroupColumnName };
        foreach (string name in outputs) Guard.NotEmpty(name, "Output column name");
        Guard.That(outputs.Distinct(StringComparer.Ordinal).Count() == outputs.Length, nameof(OutputFeatureColumnName),
            $"The output column names must differ, but were {string.Join(", ", outputs.Select(o => $"'{o}'"))}.");
    }
}
