using LinAttn.Internal;
using LinAttn.Tasks;

namespace LinAttn.Baselines;

/// <summary>
/// In-context gradient descent on the context's least-squares risk R(w) = (1/2n) Σ_i (⟨w, x_i⟩ − y_i)², from w₀ = 0,
/// predicting ŷ = ⟨w, x_q⟩ (von Oswald et al. 2023; Ahn et al. 2023 Lemma 1).
/// </summary>
public static class GradientDescentBaselines
{
    /// <summary>One GD step from 0 with step size η: ŷ = (η/n) Σ_i y_i ⟨x_i, x_q⟩. One prediction per prompt.</summary>
    public static double[] OneStep(PromptBatch batch, double stepSize)
    {
        Guard.NotNull(batch);
        Guard.Finite(stepSize, nameof(stepSize));
        int d = batch.Dimension;
        var identity = new double[d * d];
        for (int i = 0; i < d; i++) identity[i * d + i] = stepSize;
        return Preconditioned(batch, new[] { identity });
    }

    /// <summary>
    /// L steps of preconditioned GD, w_{ℓ+1} = w_ℓ − A_ℓ ∇R(w_ℓ), with one d×d matrix A_ℓ (row-major) per step.
    /// A <see cref="Model.Parametrization.PreconditionedGd"/> model with Q_ℓ = −A_ℓ in our Q convention (−A_ℓᵀ in the
    /// paper's) computes exactly this.
    /// </summary>
    public static double[] Preconditioned(PromptBatch batch, IReadOnlyList<double[]> preconditioners)
    {
        Guard.NotNull(batch);
        Guard.NotNull(preconditioners);
        int d = batch.Dimension;
        foreach (double[] a in preconditioners)
            Guard.That(a.Length == d * d, nameof(preconditioners), $"each preconditioner must be d×d = {d * d} values, but one held {a.Length}.");

        var predictions = new double[batch.BatchSize];
        var w = new double[d];
        var gradient = new double[d];
        for (int b = 0; b < batch.BatchSize; b++)
        {
            var prompt = new PromptView(batch, b);
            Array.Clear(w);
            foreach (double[] a in preconditioners)
            {
                Array.Clear(gradient);
                for (int i = 0; i < prompt.Count; i++)
                {
                    double residual = -prompt.Y(i);
                    for (int j = 0; j < d; j++) residual += w[j] * prompt.X(i, j);
                    for (int j = 0; j < d; j++) gradient[j] += residual * prompt.X(i, j) / prompt.Count;
                }
                for (int r = 0; r < d; r++)
                {
                    double step = 0;
                    for (int c = 0; c < d; c++) step += a[r * d + c] * gradient[c];
                    w[r] -= step;
                }
            }
            predictions[b] = prompt.Predict(w);
        }
        return predictions;
    }
}
