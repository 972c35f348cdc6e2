using LinAttn.Random;

namespace LinAttn.AutoML.Tuners;

/// <summary>
/// Tree-structured Parzen estimator (Bergstra et al. 2011) on the unit cube: split the observations at the γ-quantile of
/// the loss into good and bad, model each with a product of per-dimension Gaussian kernels (plus a uniform prior
/// component), draw candidates from the good model and return the one maximising l(x)/g(x).
/// </summary>
internal static class TreeParzenEstimator
{
    public const double Gamma = 0.25;
    public const int Candidates = 24;

    public static double[] Suggest(IReadOnlyList<(double[] Unit, double Loss)> observations, int dimensions, CounterRandom random)
    {
        if (observations.Count < 2)
        {
            var u = new double[dimensions];
            for (int j = 0; j < dimensions; j++) u[j] = random.NextDouble();
            return u;
        }
        var sorted = observations.OrderBy(o => o.Loss).ToList();
        int nGood = Math.Max(1, (int)Math.Ceiling(Gamma * sorted.Count));
        var good = sorted.Take(nGood).Select(o => o.Unit).ToList();
        var bad = sorted.Skip(nGood).Select(o => o.Unit).ToList();
        double hGood = Bandwidth(good.Count), hBad = Bandwidth(bad.Count);

        double[]? best = null;
        double bestScore = double.NegativeInfinity;
        for (int c = 0; c < Candidates; c++)
        {
            // Sample from the good mixture: pick a component (or the uniform prior), then a Gaussian around it.
            int component = (int)(random.NextDouble() * (good.Count + 1));
            var x = new double[dimensions];
            for (int j = 0; j < dimensions; j++)
            {
                x[j] = component >= good.Count
                    ? random.NextDouble()
                    : Math.Clamp(good[component][j] + hGood * random.NextGaussian(), 0.0, 1.0);
            }
            double score = LogDensity(x, good, hGood) - LogDensity(x, bad, hBad);
            if (score > bestScore)
            {
                bestScore = score;
                best = x;
            }
        }
        return best!;
    }

    /// <summary>log of the mixture density at x: equal weights on each kernel and on the uniform prior.</summary>
    internal static double LogDensity(double[] x, IReadOnlyList<double[]> centres, double h)
    {
        double total = 1.0;   // the uniform prior component has density 1 on the cube
        foreach (double[] c in centres)
        {
            double logK = 0;
            for (int j = 0; j < x.Length; j++)
            {
                double z = (x[j] - c[j]) / h;
                logK += -0.5 * z * z - Math.Log(h * Math.Sqrt(2 * Math.PI));
            }
            total += Math.Exp(logK);
        }
        return Math.Log(total / (centres.Count + 1));
    }

    private static double Bandwidth(int n) => Math.Clamp(0.25 * Math.Pow(Math.Max(n, 1), -0.2), 0.03, 0.3);
}
