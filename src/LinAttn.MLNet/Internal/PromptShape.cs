using System.Globalization;

namespace LinAttn.MLNet.Internal;

/// <summary>
/// The geometry of a prompt vector: d covariates, N (maximum) context pairs, a layout. Length N(d+1)+d; the query x_q is
/// the last d values in every layout.
/// </summary>
internal readonly record struct PromptShape(int Dimension, int ContextLength, PromptLayout Layout)
{
    /// <summary>N(d+1)+d.</summary>
    public int FeatureCount => ContextLength * (Dimension + 1) + Dimension;

    /// <summary>Offset of x_q.</summary>
    public int QueryOffset => ContextLength * (Dimension + 1);

    /// <summary>Offset of the first covariate of context pair i.</summary>
    public int XOffset(int i) => Layout == PromptLayout.Interleaved ? i * (Dimension + 1) : i * Dimension;

    /// <summary>Offset of the label of context pair i.</summary>
    public int YOffset(int i) => Layout == PromptLayout.Interleaved ? i * (Dimension + 1) + Dimension : ContextLength * Dimension + i;

    /// <summary>"n = 20, d = 5, interleaved [x1, y1, ..., xn, yn, xq]" for messages.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"n = {ContextLength}, d = {Dimension}, {(Layout == PromptLayout.Interleaved ? "interleaved [x1, y1, ..., xn, yn, xq]" : "concatenated [x1..xn, y1..yn, xq]")}");

    /// <summary>Copies a prompt vector into token rows [N + 1, d + 1] (query label 0).</summary>
    public void WriteTokens(ReadOnlySpan<float> features, Span<float> tokens)
    {
        int d = Dimension, k = d + 1;
        for (int i = 0; i < ContextLength; i++)
        {
            features.Slice(XOffset(i), d).CopyTo(tokens.Slice(i * k, d));
            tokens[i * k + d] = features[YOffset(i)];
        }
        features.Slice(QueryOffset, d).CopyTo(tokens.Slice(ContextLength * k, d));
        tokens[ContextLength * k + d] = 0f;
    }

    /// <summary>Describes what entry <paramref name="index"/> of the vector holds, e.g. "y of context pair 3".</summary>
    public string DescribeEntry(int index)
    {
        if (index >= QueryOffset) return $"x_q[{index - QueryOffset + 1}]";
        if (Layout == PromptLayout.Interleaved)
        {
            int pair = index / (Dimension + 1), within = index % (Dimension + 1);
            return within == Dimension ? $"y of context pair {pair + 1}" : $"x[{within + 1}] of context pair {pair + 1}";
        }
        return index < ContextLength * Dimension
            ? $"x[{index % Dimension + 1}] of context pair {index / Dimension + 1}"
            : $"y of context pair {index - ContextLength * Dimension + 1}";
    }
}
