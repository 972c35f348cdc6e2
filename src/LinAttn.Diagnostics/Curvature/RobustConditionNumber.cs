namespace LinAttn.Diagnostics;

/// <summary>The robust condition number R_med = max / lower-median of the magnitudes of the Hessian's diagonal or
/// eigenvalues (<see cref="RobustConditionDefinition"/>). Exact zeros (e.g. the Restricted model's last-layer P, which
/// never reaches the prediction) are kept, as in the authors' code.</summary>
public static class RobustConditionNumber
{
    /// <summary>max |v_i| / lower-median |v_i|; NaN for an empty input, +∞ when the lower median is 0.</summary>
    /// <param name="values">Diagonal entries or eigenvalues.</param>
    public static double OfMagnitudes(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) return double.NaN;
        double[] magnitudes = new double[values.Length];
        for (int i = 0; i < values.Length; i++) magnitudes[i] = Math.Abs(values[i]);
        Array.Sort(magnitudes);
        double median = magnitudes[(magnitudes.Length - 1) / 2];
        return median > 0 ? magnitudes[^1] / median : double.PositiveInfinity;
    }

    /// <summary>R_med of a Hessian under a definition.</summary>
    public static double Of(HessianResult hessian, RobustConditionDefinition definition = RobustConditionDefinition.AbsoluteDiagonal)
    {
        Check.NotNull(hessian, nameof(hessian));
        return definition switch
        {
            RobustConditionDefinition.AbsoluteDiagonal => OfMagnitudes(hessian.Diagonal.ToArray()),
            RobustConditionDefinition.Eigenvalues => OfMagnitudes(hessian.Eigenvalues.ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(definition), definition,
                $"definition must be one of {string.Join(", ", Enum.GetNames<RobustConditionDefinition>())}, but was {definition}."),
        };
    }
}
