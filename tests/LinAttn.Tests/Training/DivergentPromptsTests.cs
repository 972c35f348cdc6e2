using LinAttn.Training;

namespace LinAttn.Tests.Training;

public sealed class DivergentPromptsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LargestEigenvalue_Of2x2_EqualsTheClosedForm(int seed)
    {
        var random = new System.Random(seed);
        for (int trial = 0; trial < 50; trial++)
        {
            // A = Bᵀ B is symmetric positive semi-definite.
            double p = random.NextDouble() * 4 - 2, q = random.NextDouble() * 4 - 2, r = random.NextDouble() * 4 - 2, s = random.NextDouble() * 4 - 2;
            double a = p * p + r * r, b = p * q + r * s, c = q * q + s * s;
            double expected = (a + c) / 2 + Math.Sqrt((a - c) * (a - c) / 4 + b * b);
            Assert.Equal(expected, DivergentPrompts.LargestEigenvalue(new[] { a, b, b, c }, 2), 1e-9 * Math.Max(1, expected));
        }
    }

    [Fact]
    public void LargestEigenvalue_OfARotatedDiagonal_IsItsLargestEntry_EvenWithACloseSecond()
    {
        double[] diagonal = { 0.5, 3.0, 2.99, 1.0, 0.0, 2.0 };
        int d = diagonal.Length;
        // H = I − 2 u uᵀ / (uᵀu) is orthogonal and symmetric: H D H has D's eigenvalues.
        double[] u = { 1, -2, 0.5, 3, 1, -1 };
        double uu = u.Sum(x => x * x);
        var h = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) h[i * d + j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu;
        var m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                for (int k = 0; k < d; k++) m[i * d + j] += h[i * d + k] * diagonal[k] * h[k * d + j];
        Assert.Equal(3.0, DivergentPrompts.LargestEigenvalue(m, d), 1e-6);
    }
}
