using System.Numerics;
using LinAttn.Tasks;

namespace LinAttn.Tests.Tasks;

public sealed class ReluFeatureMapTests
{
    // Shapes whose layers take the four-output blocks only (h = 8, d = 4), the single-output remainder only (h = 3,
    // d = 2), and both (the nonlinear figure's 5 → 10 → 5; 7 → 6 → 7).
    [Theory]
    [InlineData(5, 10)]
    [InlineData(4, 8)]
    [InlineData(2, 3)]
    [InlineData(7, 6)]
    public void LaneWiseMap_EqualsTheScalarMap_InEveryLane(int d, int h)
    {
        var map = new ReluFeatureMap(d, h, seed: 11);
        int lanes = Vector<float>.Count;
        var random = new System.Random(3);
        var x = new Vector<float>[d];
        var values = new float[d, lanes];
        for (int i = 0; i < d; i++)
        {
            var lane = new float[lanes];
            for (int j = 0; j < lanes; j++) lane[j] = values[i, j] = (float)(2 * random.NextDouble() - 1) * 2;
            x[i] = new Vector<float>(lane);
        }
        var hidden = new Vector<float>[h];
        var output = new Vector<float>[d];
        map.Apply(x, hidden, output);

        var scalarHidden = new double[h];
        var expected = new double[d];
        int negativeHidden = 0;
        for (int j = 0; j < lanes; j++)
        {
            double[] xj = Enumerable.Range(0, d).Select(i => (double)values[i, j]).ToArray();
            map.Apply(xj, scalarHidden, expected);
            for (int u = 0; u < h; u++)
            {
                Assert.True(Math.Abs(hidden[u][j] - scalarHidden[u]) <= 1e-5 * (1 + Math.Abs(scalarHidden[u])),
                    $"hidden {u}, lane {j}: {hidden[u][j]} vs {scalarHidden[u]}");
                if (scalarHidden[u] == 0) negativeHidden++;
            }
            for (int o = 0; o < d; o++)
                Assert.True(Math.Abs(output[o][j] - expected[o]) <= 1e-5 * (1 + Math.Abs(expected[o])),
                    $"output {o}, lane {j}: {output[o][j]} vs {expected[o]}");
        }
        Assert.True(negativeHidden > 0, "no hidden unit was cut by the ReLU; the test would not see a missing ReLU");
    }
}
