using LinAttn.Model;

namespace LinAttn.Engine;

/// <summary>
/// Converts between the flat parameter vector θ ([L, H, m, k, k]) and the full matrices P_full, Q_full
/// ([L, H, d+1, d+1] each) of every parametrisation, and maps full-matrix gradients back onto θ.
/// </summary>
internal sealed class ParameterMap
{
    private readonly ModelOptions _options;
    private readonly int _k1, _kk;
    private readonly (int Matrix, int FullIndex, int Layer)[] _entries;   // per θ index

    public ParameterMap(ModelOptions options)
    {
        _options = options;
        _k1 = options.Dimension + 1;
        _kk = _k1 * _k1;
        FullSize = options.Layers * options.Heads * _kk;
        _entries = new (int, int, int)[options.AttentionParameterCount];
        int n = options.MatrixSize;
        for (int l = 0; l < options.Layers; l++)
            for (int h = 0; h < options.Heads; h++)
                for (int r = 0; r < n; r++)
                    for (int c = 0; c < n; c++)
                    {
                        int at = (l * options.Heads + h) * _kk + r * _k1 + c;
                        _entries[options.Offset(l, h, options.QIndex, r, c)] = (1, at, l);
                        if (options.Parametrization != Parametrization.PreconditionedGd) _entries[options.Offset(l, h, 0, r, c)] = (0, at, l);
                    }
    }

    /// <summary>The one entry of P_full (matrix 0) or Q_full (1) that attention parameter θ[<paramref name="index"/>]
    /// sets, and its layer.</summary>
    public (int Matrix, int FullIndex, int Layer) Locate(int index) => _entries[index];

    /// <summary>Entries of P_full (and of Q_full): L·H·(d+1)².</summary>
    public int FullSize { get; }

    public void ToFull(ReadOnlySpan<double> theta, Span<double> pFull, Span<double> qFull)
    {
        pFull.Clear();
        qFull.Clear();
        if (_options.Parametrization != Parametrization.Full)   // the fixed 1 in the corner of every P_full
            for (int lh = 0; lh < _options.Layers * _options.Heads; lh++) pFull[lh * _kk + _kk - 1] = 1.0;
        for (int i = 0; i < _entries.Length; i++)
        {
            var (matrix, at, _) = _entries[i];
            (matrix == 0 ? pFull : qFull)[at] = theta[i];
        }
    }

    public void FromFullGradient(ReadOnlySpan<double> gradP, ReadOnlySpan<double> gradQ, Span<double> gradient)
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            var (matrix, at, _) = _entries[i];
            gradient[i] = (matrix == 0 ? gradP : gradQ)[at];
        }
    }
}
