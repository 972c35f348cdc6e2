using LinAttn.Engine;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>
/// How the squared errors of a diverged step's batch are spread over its prompts, at the parameters the step started
/// from: whether a few prompts carry the blow-up (rare prompts that the model amplifies) or the whole batch does.
/// </summary>
/// <param name="BatchSize">Prompts in the batch.</param>
/// <param name="Worst">Index of the prompt with the largest (or a non-finite) squared error.</param>
/// <param name="WorstError">Its squared error (∞ when its prediction overflowed).</param>
/// <param name="MedianError">The median squared error of the batch.</param>
/// <param name="Carriers">The fewest prompts that carry 99% of the batch's summed squared error (every prompt with a
/// non-finite error counts).</param>
/// <param name="Spread">The largest eigenvalue of each prompt's context covariance (1/n) Σ x_i x_iᵀ, the worst prompt's
/// first, then the batch's median and maximum; null for a batch drawn as moments (no tokens).</param>
internal sealed record DivergentPrompts(int BatchSize, int Worst, double WorstError, double MedianError, int Carriers,
    (double Worst, double Median, double Max)? Spread)
{
    /// <summary>A blow-up carried by at most 1% of the prompts (at least one).</summary>
    public bool FewPrompts => Carriers <= Math.Max(1, BatchSize / 100);

    /// <summary>The spread of <paramref name="batch"/>'s squared errors under θ, or null when the fast engine cannot
    /// compute <paramref name="model"/> (then nothing is known about single prompts).</summary>
    public static DivergentPrompts? Analyse(ModelOptions model, double[] theta, PromptBatch batch)
    {
        if (!FastBackend.Supports(model)) return null;
        var predictions = new double[batch.BatchSize];
        new FastPredictor(model, theta).Predict(batch, predictions);
        var errors = new double[batch.BatchSize];
        for (int b = 0; b < errors.Length; b++)
        {
            double e = predictions[b] - batch.Targets[b];
            errors[b] = double.IsFinite(e) ? e * e : double.PositiveInfinity;
        }
        int worst = 0;
        for (int b = 1; b < errors.Length; b++)
            if (errors[b] > errors[worst]) worst = b;
        double[] sorted = errors.OrderByDescending(e => e).ToArray();
        double median = sorted[sorted.Length / 2];
        int carriers = sorted.Count(double.IsPositiveInfinity);
        if (carriers == 0)
        {
            double total = sorted.Sum(), carried = 0;
            while (carriers < sorted.Length && carried < 0.99 * total) carried += sorted[carriers++];
        }
        return new DivergentPrompts(batch.BatchSize, worst, errors[worst], median, carriers, batch.HasTokens ? CovarianceSpread(batch, worst) : null);
    }

    private static (double Worst, double Median, double Max) CovarianceSpread(PromptBatch batch, int worst)
    {
        int d = batch.Dimension, k = d + 1;
        float[] tokens = batch.Tokens;
        var lambdas = new double[batch.BatchSize];
        var covariance = new double[d * d];
        for (int b = 0; b < lambdas.Length; b++)
        {
            Array.Clear(covariance);
            int n = batch.ContextLengthOf(b), start = b * batch.PromptStride;
            for (int i = 0; i < n; i++)
                for (int r = 0; r < d; r++)
                    for (int c = 0; c < d; c++)
                        covariance[r * d + c] += (double)tokens[start + i * k + r] * tokens[start + i * k + c] / n;
            lambdas[b] = LargestEigenvalue(covariance, d);
        }
        double[] sorted = lambdas.Order().ToArray();
        return (lambdas[worst], sorted[sorted.Length / 2], sorted[^1]);
    }

    /// <summary>The largest eigenvalue of a symmetric positive semi-definite d × d matrix (row-major), by power
    /// iteration from the all-ones vector: the Rayleigh quotient once it changes by less than 1e-12 relative (at most
    /// 10,000 iterations).</summary>
    internal static double LargestEigenvalue(ReadOnlySpan<double> matrix, int d)
    {
        var v = new double[d];
        var w = new double[d];
        Array.Fill(v, 1 / Math.Sqrt(d));
        double lambda = 0;
        for (int iteration = 0; iteration < 10_000; iteration++)
        {
            double norm = 0, quotient = 0;
            for (int r = 0; r < d; r++)
            {
                double sum = 0;
                for (int c = 0; c < d; c++) sum += matrix[r * d + c] * v[c];
                w[r] = sum;
                quotient += v[r] * sum;
                norm += sum * sum;
            }
            norm = Math.Sqrt(norm);
            if (!(norm > 0) || !double.IsFinite(norm)) return norm > 0 ? double.PositiveInfinity : 0;
            for (int r = 0; r < d; r++) v[r] = w[r] / norm;
            if (Math.Abs(quotient - lambda) <= 1e-12 * Math.Abs(quotient)) return quotient;
            lambda = quotient;
        }
        return lambda;
    }
}
