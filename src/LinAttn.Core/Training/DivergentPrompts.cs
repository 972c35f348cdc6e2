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
internal sealed record DivergentPrompts(int BatchSize, int Worst, double WorstError, double MedianError, int Carriers)
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
        return new DivergentPrompts(batch.BatchSize, worst, errors[worst], median, carriers);
    }
}
