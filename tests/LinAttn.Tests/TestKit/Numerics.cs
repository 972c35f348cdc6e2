namespace LinAttn.Tests.TestKit;

/// <summary>Tolerance helpers for numerical tests.</summary>
public static class Numerics
{
    /// <summary>max_i |a_i − b_i| / max(max_j |b_j|, tiny): the error relative to the scale of the reference.</summary>
    public static double MaxRelativeError(IReadOnlyList<double> actual, IReadOnlyList<double> expected)
    {
        Assert.Equal(expected.Count, actual.Count);
        double scale = expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        scale = Math.Max(scale, 1e-300);
        double worst = 0;
        for (int i = 0; i < actual.Count; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / scale);
        return worst;
    }

    /// <summary>Per-entry relative error with a floor: |a − b| / max(|b|, floor·max|b|).</summary>
    public static double MaxEntrywiseRelativeError(IReadOnlyList<double> actual, IReadOnlyList<double> expected, double floor = 1e-3)
    {
        Assert.Equal(expected.Count, actual.Count);
        double scale = Math.Max(expected.Select(Math.Abs).DefaultIfEmpty(0).Max(), 1e-300);
        double worst = 0;
        for (int i = 0; i < actual.Count; i++)
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), floor * scale));
        return worst;
    }
}
