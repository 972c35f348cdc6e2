using LinAttn.Internal;
using LinAttn.Tasks;

namespace LinAttn.Baselines;

/// <summary>Ridge regression and least squares fitted on each prompt's context, predicting ⟨ŵ, x_q⟩.</summary>
public static class RidgeRegression
{
    /// <summary>Ridge: ŵ = (XᵀX + λ I)⁻¹ Xᵀ y with X the n_b×d context matrix (λ not scaled by n). Range: λ &gt; 0.</summary>
    public static double[] Predict(PromptBatch batch, double lambda)
    {
        Guard.NotNull(batch);
        Guard.Positive(lambda, nameof(lambda));
        int d = batch.Dimension;
        var predictions = new double[batch.BatchSize];
        var w = new double[d];
        for (int b = 0; b < batch.BatchSize; b++)
        {
            var prompt = new PromptView(batch, b);
            var (gram, moment) = prompt.Moments();
            for (int i = 0; i < d; i++) gram[i * d + i] += lambda;
            SmallLinearAlgebra.TrySolveSpd(gram, moment, d, w);
            predictions[b] = prompt.Predict(w);
        }
        return predictions;
    }

    /// <summary>
    /// Least squares with the minimum-norm solution ŵ = (XᵀX)⁺ Xᵀ y (also when n_b &lt; d); eigenvalues below
    /// 1e-12 · λ_max are treated as zero.
    /// </summary>
    public static double[] LeastSquares(PromptBatch batch)
    {
        Guard.NotNull(batch);
        int d = batch.Dimension;
        var predictions = new double[batch.BatchSize];
        var w = new double[d];
        for (int b = 0; b < batch.BatchSize; b++)
        {
            var prompt = new PromptView(batch, b);
            var (gram, moment) = prompt.Moments();
            var (values, vectors) = SmallLinearAlgebra.SymmetricEigen(gram, d);
            double cutoff = 1e-12 * Math.Max(values.Max(), 0);
            Array.Clear(w);
            for (int k = 0; k < d; k++)
            {
                if (values[k] <= cutoff) continue;
                double projection = 0;
                for (int j = 0; j < d; j++) projection += vectors[j * d + k] * moment[j];
                for (int j = 0; j < d; j++) w[j] += vectors[j * d + k] * projection / values[k];
            }
            predictions[b] = prompt.Predict(w);
        }
        return predictions;
    }

    /// <summary>Mean squared error of predictions against the batch's targets.</summary>
    public static double MeanSquaredError(PromptBatch batch, IReadOnlyList<double> predictions)
    {
        Guard.NotNull(batch);
        Guard.That(predictions.Count == batch.BatchSize, nameof(predictions), $"expected {batch.BatchSize} predictions, got {predictions.Count}.");
        double sum = 0;
        for (int b = 0; b < batch.BatchSize; b++)
        {
            double e = predictions[b] - batch.Targets[b];
            sum += e * e;
        }
        return sum / batch.BatchSize;
    }
}
