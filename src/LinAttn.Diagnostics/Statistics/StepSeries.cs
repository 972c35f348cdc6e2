namespace LinAttn.Diagnostics;

/// <summary>One quantity measured at some iterations of one run (e.g. the evaluation loss of one seed).</summary>
/// <param name="Steps">Iterations, ascending.</param>
/// <param name="Values">Values aligned with <paramref name="Steps"/>.</param>
public sealed record StepSeries(IReadOnlyList<int> Steps, IReadOnlyList<double> Values)
{
    /// <summary>The value at <paramref name="step"/>, or NaN when it was not measured.</summary>
    public double At(int step)
    {
        for (int i = 0; i < Steps.Count; i++) if (Steps[i] == step) return Values[i];
        return double.NaN;
    }
}
