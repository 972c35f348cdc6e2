using LinAttn.Model;

namespace LinAttn.MLNet.Scoring;

/// <summary>
/// Linear attention in the associative S-form, in double precision: S = Σ_{i ≤ n_b} z_i z_iᵀ, then per layer
/// A = I + (1/n_b) Σ_h P_h S Q_hᵀ, z_q ← A z_q, S ← A S Aᵀ; the prediction is −z_q[d]. Cost O(n k² + L H k³) per prompt
/// (k = d + 1), about 2,500 multiply-adds for d = 5, n = 20, L = 3.
/// </summary>
/// <remarks>The k × k products run over raw pointers into per-thread scratch buffers (no bounds checks in the inner
/// loops); S stays symmetric, so only its upper triangle is accumulated and updated, then mirrored. Entries of P_h that
/// are structurally zero (Restricted and PreconditionedGd) are skipped.</remarks>
internal sealed unsafe class ManagedPromptScorer : IPromptScorer
{
    private readonly int _d, _k, _layers, _heads;
    private readonly double[] _p, _q;
    private readonly int[] _qActive;   // per layer and head: Q_full is zero outside its leading qActive × qActive block

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
        _qActive = new int[_layers * _heads];
        for (int i = 0; i < _qActive.Length; i++) _qActive[i] = ActiveBlock(_q.AsSpan(i * _k * _k, _k * _k), _k);
    }

    // d when the last row and column of Q are zero (Restricted, PreconditionedGd), else d + 1: then the last column of
    // S Qᵀ is zero and the sums over Q's columns can stop at d.
    private static int ActiveBlock(ReadOnlySpan<double> q, int k)
    {
        for (int i = 0; i < k; i++)
        {
            if (q[(k - 1) * k + i] != 0 || q[i * k + k - 1] != 0) return k;
        }
        return k - 1;
    }

    public double Score(ReadOnlySpan<float> tokens, int contextLength)
    {
        int k = _k, kk = k * k;
        if (tokens.Length < (contextLength + 1) * k || contextLength < 1)
            throw new ArgumentOutOfRangeException(nameof(contextLength), $"contextLength must be in [1, {tokens.Length / k - 1}], but was {contextLength}.");
        Scratch scratch = Scratch.For(kk);
        fixed (float* tokenBase = tokens)
        fixed (double* s = scratch.S, a = scratch.A, t = scratch.T, zq = scratch.Z, next = scratch.Next, pAll = _p, qAll = _q)
        {
            // S = Σ z_i z_iᵀ over the valid context rows: upper triangle, then mirrored.
            new Span<double>(s, kk).Clear();
            for (int i = 0; i < contextLength; i++)
            {
                float* token = tokenBase + i * k;
                for (int c = 0; c < k; c++) next[c] = token[c];        // widen once per token
                for (int r = 0; r < k; r++)
                {
                    double zr = next[r];
                    double* row = s + r * k;
                    for (int c = r; c < k; c++) row[c] += zr * next[c];
                }
            }
            Mirror(s, k);
            float* query = tokenBase + tokens.Length - k;   // row N, after any padding
            for (int j = 0; j < _d; j++) zq[j] = query[j];
            zq[_d] = 0;

            double inverseN = 1.0 / contextLength;
            for (int l = 0; l < _layers; l++)
            {
                // A = I + (1/n) Σ_h P_h (S Q_hᵀ).
                new Span<double>(a, kk).Clear();
                for (int h = 0; h < _heads; h++)
                {
                    double* p = pAll + (l * _heads + h) * kk, q = qAll + (l * _heads + h) * kk;
                    int active = _qActive[l * _heads + h];
                    for (int r = 0; r < k; r++)                       // T = S Qᵀ (columns ≥ active are zero)
                    {
                        double* sr = s + r * k;
                        for (int c = 0; c < active; c++)
                        {
                            double* qc = q + c * k;
                            double sum = 0;
                            for (int m = 0; m < active; m++) sum += sr[m] * qc[m];
                            t[r * k + c] = sum;
                        }
                    }
                    for (int r = 0; r < k; r++)                       // A += P T, skipping zeros of P
                    {
                        double* ar = a + r * k;
                        for (int m = 0; m < k; m++)
                        {
                            double prm = p[r * k + m];
                            if (prm == 0) continue;
                            double* tm = t + m * k;
                            for (int c = 0; c < active; c++) ar[c] += prm * tm[c];
                        }
                    }
                }
                for (int i = 0; i < kk; i++) a[i] *= inverseN;
                for (int r = 0; r < k; r++) a[r * k + r] += 1.0;

                for (int r = 0; r < k; r++)                           // z_q ← A z_q
                {
                    double* ar = a + r * k;
                    double sum = 0;
                    for (int c = 0; c < k; c++) sum += ar[c] * zq[c];
                    next[r] = sum;
                }
                for (int r = 0; r < k; r++) zq[r] = next[r];

                if (l + 1 < _layers)                                  // S ← A S Aᵀ (symmetric: upper triangle)
                {
                    for (int r = 0; r < k; r++)                       // T = A S
                    {
                        double* ar = a + r * k;
                        double* tr = t + r * k;
                        for (int c = 0; c < k; c++) tr[c] = 0;
                        for (int m = 0; m < k; m++)
                        {
                            double arm = ar[m];
                            double* sm = s + m * k;
                            for (int c = 0; c < k; c++) tr[c] += arm * sm[c];
                        }
                    }
                    for (int r = 0; r < k; r++)                       // S = T Aᵀ, c ≥ r
                    {
                        double* tr = t + r * k;
                        for (int c = r; c < k; c++)
                        {
                            double* ac = a + c * k;
                            double sum = 0;
                            for (int m = 0; m < k; m++) sum += tr[m] * ac[m];
                            s[r * k + c] = sum;
                        }
                    }
                    Mirror(s, k);
                }
            }
            return -zq[_d];
        }
    }

    private static void Mirror(double* s, int k)
    {
        for (int r = 1; r < k; r++)
        {
            for (int c = 0; c < r; c++) s[r * k + c] = s[c * k + r];
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
