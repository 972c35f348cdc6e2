using LinAttn.Model;

namespace LinAttn.MLNet.Scoring;

/// <summary>
/// The token-level form with explicit scores s_ji = z_jᵀ Q_h z_i, in double precision, for any activation (needed for
/// softmax and ReLU attention, which have no associative S-form). Only the n_b valid context rows and the query are
/// carried: padded rows are never keys, so they cannot change the query. Softmax runs over the n_b context keys and the
/// query key (as <see cref="LinearTransformer"/> and the authors' code), then the query column is masked and 1/n_b kept.
/// Cost O(L H (n+1) n k) per prompt.
/// </summary>
internal sealed class TokenPromptScorer : IPromptScorer
{
    private readonly int _d, _k, _layers, _heads;
    private readonly ScoreActivation _activation;
    private readonly double[] _p, _q;

    public TokenPromptScorer(EmbeddedMatrices matrices)
    {
        _d = matrices.Options.Dimension;
        _k = _d + 1;
        _layers = matrices.Options.Layers;
        _heads = matrices.Options.Heads;
        _activation = matrices.Options.Activation;
        _p = matrices.P;
        _q = matrices.Q;
    }

    public double Score(ReadOnlySpan<float> tokens, int contextLength)
    {
        int k = _k, kk = k * k, n = contextLength, count = n + 1;
        var z = new double[count * k];
        var update = new double[count * k];
        var values = new double[n * k];
        var projected = new double[k];
        var weights = new double[count];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++) z[i * k + c] = tokens[i * k + c];
        }
        int queryRow = tokens.Length - k;
        for (int c = 0; c < _d; c++) z[n * k + c] = tokens[queryRow + c];

        double inverseN = 1.0 / n;
        for (int l = 0; l < _layers; l++)
        {
            Array.Clear(update);
            for (int h = 0; h < _heads; h++)
            {
                ReadOnlySpan<double> p = _p.AsSpan((l * _heads + h) * kk, kk);
                ReadOnlySpan<double> q = _q.AsSpan((l * _heads + h) * kk, kk);
                for (int i = 0; i < n; i++) MultiplyVector(p, z.AsSpan(i * k, k), values.AsSpan(i * k, k), k, transpose: false);
                for (int j = 0; j < count; j++)
                {
                    MultiplyVector(q, z.AsSpan(j * k, k), projected, k, transpose: true);   // Qᵀ z_j, so s_ji = (Qᵀ z_j)·z_i
                    for (int i = 0; i < count; i++)
                    {
                        double sum = 0;
                        for (int c = 0; c < k; c++) sum += projected[c] * z[i * k + c];
                        weights[i] = sum;
                    }
                    Activate(weights);
                    for (int i = 0; i < n; i++)
                    {
                        double w = weights[i] * inverseN;
                        for (int c = 0; c < k; c++) update[j * k + c] += w * values[i * k + c];
                    }
                }
            }
            for (int i = 0; i < z.Length; i++) z[i] += update[i];
        }
        return -z[n * k + _d];
    }

    private void Activate(Span<double> scores)
    {
        switch (_activation)
        {
            case ScoreActivation.Softmax:
            {
                double max = double.NegativeInfinity;
                foreach (double s in scores) max = Math.Max(max, s);
                double total = 0;
                for (int i = 0; i < scores.Length; i++) total += scores[i] = Math.Exp(scores[i] - max);
                for (int i = 0; i < scores.Length; i++) scores[i] /= total;
                break;
            }
            case ScoreActivation.Relu:
                for (int i = 0; i < scores.Length; i++) scores[i] = Math.Max(0, scores[i]);
                break;
        }
    }

    // result = M v (or Mᵀ v), M k × k row-major.
    private static void MultiplyVector(ReadOnlySpan<double> m, ReadOnlySpan<double> v, Span<double> result, int k, bool transpose)
    {
        for (int r = 0; r < k; r++)
        {
            double sum = 0;
            for (int c = 0; c < k; c++) sum += (transpose ? m[c * k + r] : m[r * k + c]) * v[c];
            result[r] = sum;
        }
    }
}
