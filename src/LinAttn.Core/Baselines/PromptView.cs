using LinAttn.Tasks;

namespace LinAttn.Baselines;

/// <summary>Reads one prompt of a <see cref="PromptBatch"/> as doubles: context covariates, labels and the query.</summary>
internal readonly struct PromptView
{
    private readonly PromptBatch _batch;
    private readonly int _offset;

    public PromptView(PromptBatch batch, int b)
    {
        _batch = batch;
        _offset = b * batch.PromptStride;
        Count = batch.ContextLengthOf(b);
    }

    /// <summary>n_b.</summary>
    public int Count { get; }

    public int Dimension => _batch.Dimension;

    public double X(int i, int j) => _batch.Tokens[_offset + i * (Dimension + 1) + j];

    public double Y(int i) => _batch.Tokens[_offset + i * (Dimension + 1) + Dimension];

    public double Query(int j) => _batch.Tokens[_offset + _batch.ContextLength * (Dimension + 1) + j];

    /// <summary>XᵀX (d×d, row-major) and Xᵀy over the context.</summary>
    public (double[] Gram, double[] Moment) Moments()
    {
        int d = Dimension;
        var gram = new double[d * d];
        var moment = new double[d];
        for (int i = 0; i < Count; i++)
        {
            double y = Y(i);
            for (int r = 0; r < d; r++)
            {
                double xr = X(i, r);
                moment[r] += xr * y;
                for (int c = 0; c < d; c++) gram[r * d + c] += xr * X(i, c);
            }
        }
        return (gram, moment);
    }

    /// <summary>⟨w, x_q⟩.</summary>
    public double Predict(ReadOnlySpan<double> w)
    {
        double sum = 0;
        for (int j = 0; j < Dimension; j++) sum += w[j] * Query(j);
        return sum;
    }
}
