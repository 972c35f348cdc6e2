namespace LinAttn.AutoML.Tuners;

/// <summary>
/// The Halton low-discrepancy sequence: coordinate j of point i is the radical inverse of i in the j-th prime base
/// (2, 3, 5, 7, ...). Point 0 is skipped (it is the corner 0). Deterministic: no randomness.
/// </summary>
internal static class Halton
{
    private static readonly int[] Primes = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53 };

    /// <summary>The radical inverse of <paramref name="index"/> in <paramref name="b"/>: digits mirrored about the point.</summary>
    public static double RadicalInverse(long index, int b)
    {
        double result = 0, f = 1.0 / b;
        while (index > 0)
        {
            result += f * (index % b);
            index /= b;
            f /= b;
        }
        return result;
    }

    /// <summary>Point <paramref name="i"/> (0-based, the sequence's point i + 1) in <paramref name="dimensions"/> dimensions.</summary>
    public static double[] Point(int i, int dimensions)
    {
        if (dimensions > Primes.Length) throw new ArgumentOutOfRangeException(nameof(dimensions), $"Halton supports up to {Primes.Length} dimensions, but {dimensions} were asked.");
        var p = new double[dimensions];
        for (int j = 0; j < dimensions; j++) p[j] = RadicalInverse(i + 1, Primes[j]);
        return p;
    }

    /// <summary><paramref name="count"/> points; in one dimension they are spread over [0, 1] as the stratified
    /// (j + ½)/count ordering of the van der Corput points, so n points cover n equal cells exactly.</summary>
    public static double[][] Points(int count, int dimensions)
    {
        var points = new double[count][];
        for (int i = 0; i < count; i++) points[i] = Point(i, dimensions);
        if (dimensions == 1)
        {
            // Centre each point in its own cell: the i-th smallest van der Corput point goes to (rank + ½)/count.
            var order = Enumerable.Range(0, count).OrderBy(i => points[i][0]).ToArray();
            for (int r = 0; r < count; r++) points[order[r]][0] = (r + 0.5) / count;
        }
        return points;
    }
}
