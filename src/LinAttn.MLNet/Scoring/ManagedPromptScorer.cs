using LinAttn.Model;

namespace LinAttn.MLNet.Scoring;

/// <summary>
/// Linear attention in the associative S-form, in double precision: S = Σ_{i ≤ n_b} z_i z_iᵀ, then per layer
/// A = I + (1/n_b) Σ_h P_h S Q_hᵀ, z_q ← A z_q, S ← A S Aᵀ; the prediction is −z_q[d]. Cost O(n k² + L H k³) per prompt
/// (k = d + 1), about 3,000 multiply-adds for d = 5, n = 20, L = 3.
/// </summary>
internal sealed class ManagedPromptScorer : IPromptScorer
{
    private readonly int _d, _k, _layers, _heads;
    private readonly double[] _p, _q;

    public ManagedPromptScorer(EmbeddedMatrices matrices)
    {
        if (matrices.Options.Activation != ScoreActivation.Identity)
            throw new ArgumentOutOfRangeException(nameof(matrices),
                $"The S-form holds for linear attention only, but the activation is {matrices.Options.Activation}.");
        _d = matrices.Options.Dimension;
        _k = _d + 1;
        _layers = matrices.Options.Layers;
        _heads = matrices.Options.Heads;
        _p = matrices.P;
        _q = matrices.Q;
    }

    public double Score(ReadOnlySpan<float> tokens, int contextLength)
    {
        int k = _k, kk = k * k;
        Scratch scratch = Scratch.For(kk);
        Span<double> s = scratch.S.AsSpan(0, kk), a = scratch.A.AsSpan(0, kk), t = scratch.T.AsSpan(0, kk);
        Span<double> zq = scratch.Z.AsSpan(0, k), next = scratch.Next.AsSpan(0, k);

        // S = Σ z_i z_iᵀ over the valid context rows (upper triangle, then mirrored).
        s.Clear();
        for (int i = 0; i < contextLength; i++)
        {
            ReadOnlySpan<float> z = tokens.Slice(i * k, k);
            for (int r = 0; r < k; r++)
            {
                double zr = z[r];
                int row = r * k;
                for (int c = r; c < k; c++) s[row + c] += zr * z[c];
            }
        }
        for (int r = 1; r < k; r++)
        {
            for (int c = 0; c < r; c++) s[r * k + c] = s[c * k + r];
        }
        ReadOnlySpan<float> query = tokens.Slice(tokens.Length - k, k);   // row N, after any padding
        for (int j = 0; j < _d; j++) zq[j] = query[j];
        zq[_d] = 0;

        double inverseN = 1.0 / contextLength;
        for (int l = 0; l < _layers; l++)
        {
            LayerMap(l, s, t, a, inverseN);
            for (int r = 0; r < k; r++)
            {
                double sum = 0;
                for (int c = 0; c < k; c++) sum += a[r * k + c] * zq[c];
                next[r] = sum;
            }
            next.CopyTo(zq);
            if (l + 1 < _layers)
            {
                // S ← A S Aᵀ: T = A S, then S = T Aᵀ.
                MultiplyTransposed(a, s, t, k, transposeRight: false);
                MultiplyTransposed(t, a, s, k, transposeRight: true);
            }
        }
        return -zq[_d];
    }

    // A = I + (1/n) Σ_h P_h (S Q_hᵀ).
    private void LayerMap(int layer, ReadOnlySpan<double> s, Span<double> t, Span<double> a, double inverseN)
    {
        int k = _k, kk = k * k;
        a.Clear();
        for (int h = 0; h < _heads; h++)
        {
            ReadOnlySpan<double> p = _p.AsSpan((layer * _heads + h) * kk, kk);
            ReadOnlySpan<double> q = _q.AsSpan((layer * _heads + h) * kk, kk);
            MultiplyTransposed(s, q, t, k, transposeRight: true);   // T = S Qᵀ
            for (int r = 0; r < k; r++)
            {
                for (int m = 0; m < k; m++)
                {
                    double prm = p[r * k + m];
                    if (prm == 0) continue;
                    for (int c = 0; c < k; c++) a[r * k + c] += prm * t[m * k + c];
                }
            }
        }
        for (int i = 0; i < kk; i++) a[i] *= inverseN;
        for (int r = 0; r < k; r++) a[r * k + r] += 1.0;
    }

    // result = left · right (or left · rightᵀ), k × k row-major.
    private static void MultiplyTransposed(ReadOnlySpan<double> left, ReadOnlySpan<double> right, Span<double> result, int k, bool transposeRight)
    {
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < k; c++)
            {
                double sum = 0;
                if (transposeRight)
                {
                    for (int m = 0; m < k; m++) sum += left[r * k + m] * right[c * k + m];
                }
                else
                {
                    for (int m = 0; m < k; m++) sum += left[r * k + m] * right[m * k + c];
                }
                result[r * k + c] = sum;
            }
        }
    }

    // Per-thread work buffers: the scorer itself stays immutable and shareable.
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? t_current;

        private Scratch(int kk)
        {
            S = new double[kk];
            A = new double[kk];
            T = new double[kk];
            Z = new double[kk];
            Next = new double[kk];
        }

        public double[] S { get; }
        public double[] A { get; }
        public double[] T { get; }
        public double[] Z { get; }
        public double[] Next { get; }

        public static Scratch For(int kk)
        {
            Scratch? current = t_current;
            if (current is null || current.S.Length < kk) t_current = current = new Scratch(kk);
            return current;
        }
    }
}
