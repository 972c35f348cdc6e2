using LinAttn.Model;

namespace LinAttn.MLNet.Scoring;

/// <summary>
/// P_full and Q_full of every layer and head, [L, H, d+1, d+1] row-major in double precision, built from the parameter
/// vector [L, H, m, k, k] exactly as <see cref="LinearTransformer.EmbeddedMatrices"/> builds them.
/// </summary>
internal sealed class EmbeddedMatrices
{
    public EmbeddedMatrices(ModelOptions options, ReadOnlySpan<double> parameters)
    {
        int d = options.Dimension, k1 = d + 1, layers = options.Layers, heads = options.Heads;
        Options = options;
        P = new double[layers * heads * k1 * k1];
        Q = new double[layers * heads * k1 * k1];
        for (int l = 0; l < layers; l++)
        {
            for (int h = 0; h < heads; h++)
            {
                int baseOffset = (l * heads + h) * k1 * k1;
                switch (options.Parametrization)
                {
                    case Parametrization.Full:
                        for (int r = 0; r < k1; r++)
                        {
                            for (int c = 0; c < k1; c++)
                            {
                                P[baseOffset + r * k1 + c] = parameters[options.Offset(l, h, 0, r, c)];
                                Q[baseOffset + r * k1 + c] = parameters[options.Offset(l, h, 1, r, c)];
                            }
                        }
                        break;
                    case Parametrization.Restricted:
                        for (int r = 0; r < d; r++)
                        {
                            for (int c = 0; c < d; c++)
                            {
                                P[baseOffset + r * k1 + c] = parameters[options.Offset(l, h, 0, r, c)];
                                Q[baseOffset + r * k1 + c] = parameters[options.Offset(l, h, 1, r, c)];
                            }
                        }
                        P[baseOffset + d * k1 + d] = 1.0;
                        break;
                    default: // PreconditionedGd: P_full = [[0, 0], [0, 1]], only Q is stored
                        for (int r = 0; r < d; r++)
                        {
                            for (int c = 0; c < d; c++) Q[baseOffset + r * k1 + c] = parameters[options.Offset(l, h, 0, r, c)];
                        }
                        P[baseOffset + d * k1 + d] = 1.0;
                        break;
                }
            }
        }
    }

    /// <summary>The architecture.</summary>
    public ModelOptions Options { get; }

    /// <summary>P_full, [L, H, d+1, d+1].</summary>
    public double[] P { get; }

    /// <summary>Q_full, [L, H, d+1, d+1] (authors' convention: score z_jᵀ Q z_i).</summary>
    public double[] Q { get; }
}
