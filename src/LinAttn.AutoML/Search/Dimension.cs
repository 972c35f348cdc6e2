namespace LinAttn.AutoML;

/// <summary>
/// One searched option. Tuners work in the unit cube: <see cref="FromUnit"/> maps u ∈ [0, 1] to a value
/// (log-uniform for a log range, the ⌊u·n⌋-th candidate for a choice, u ≥ ½ for a boolean) and <see cref="ToUnit"/> back.
/// </summary>
/// <param name="Name">The option (property) name, e.g. "LearningRate".</param>
/// <param name="Kind">Range, choice or boolean.</param>
/// <param name="Min">Lower bound of a range (inclusive).</param>
/// <param name="Max">Upper bound of a range (inclusive).</param>
/// <param name="LogScale">Whether a range is searched on a log scale.</param>
/// <param name="Integer">Whether a range holds integers.</param>
/// <param name="Choices">The candidates of a choice (empty otherwise).</param>
/// <param name="Default">The value used when the dimension is not varied (attribute's initial value, or the range centre).</param>
public sealed record Dimension(string Name, DimensionKind Kind, double Min, double Max, bool LogScale, bool Integer,
    IReadOnlyList<double> Choices, double Default)
{
    /// <summary>A real range.</summary>
    public static Dimension Range(string name, double min, double max, bool logScale, double? defaultValue = null)
        => new(name, DimensionKind.Range, min, max, logScale, false, Array.Empty<double>(),
            defaultValue ?? (logScale ? Math.Sqrt(min * max) : 0.5 * (min + max)));

    /// <summary>The value at u ∈ [0, 1] (clamped).</summary>
    public double FromUnit(double u)
    {
        u = Math.Clamp(u, 0.0, 1.0);
        switch (Kind)
        {
            case DimensionKind.Choice:
                return Choices[Math.Min((int)(u * Choices.Count), Choices.Count - 1)];
            case DimensionKind.Boolean:
                return u >= 0.5 ? 1.0 : 0.0;
            default:
                if (u == 0) return Min;
                if (u == 1) return Max;
                double v = LogScale ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
                return Integer ? Math.Round(v) : Math.Clamp(v, Min, Max);
        }
    }

    /// <summary>The unit-cube coordinate of <paramref name="value"/> (the centre of its cell for choices and booleans).</summary>
    public double ToUnit(double value)
    {
        switch (Kind)
        {
            case DimensionKind.Choice:
                int i = Math.Max(0, Choices.ToList().IndexOf(value));
                return (i + 0.5) / Choices.Count;
            case DimensionKind.Boolean:
                return value >= 0.5 ? 0.75 : 0.25;
            default:
                double u = LogScale ? (Math.Log(value) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) : (value - Min) / (Max - Min);
                return Math.Clamp(u, 0.0, 1.0);
        }
    }

    /// <summary>The same dimension with the range narrowed (or widened) to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    internal Dimension WithRange(double min, double max) => this with { Min = min, Max = max, Default = Math.Clamp(Default, min, max) };
}
