using System.Numerics;
using LinAttn.Random;

namespace LinAttn.Tasks;

public sealed partial class PromptSampler
{
    /// <summary>Why this task's prompts cannot be drawn as moments (for error messages); empty when they can.</summary>
    /// <remarks>The moment form needs a Gaussian context: Gaussian covariates (any covariance), linear labels and
    /// Gaussian (or no) label noise, and n ≥ d (n ≥ d + 1 with label noise) so the Wishart law has a Bartlett factor.</remarks>
    public string MomentsUnsupported()
    {
        TaskOptions task = Task;
        int m = task.Dimension + (task.Noise.Kind == NoiseKind.None ? 0 : 1);
        if (task.Covariates != CovariateDistribution.Gaussian)
            return $"Covariates is {task.Covariates} (moments need Gaussian covariates: the Wishart law)";
        if (task.Target != TargetFunction.Linear)
            return $"Target is {task.Target} (moments need linear labels)";
        if (task.ContextLength < m)
            return $"ContextLength n = {task.ContextLength} is below {m} (moments need n ≥ d{(m > task.Dimension ? " + 1 with label noise" : "")})";
        return "";
    }

    /// <summary>Values in the moment tile layout for <paramref name="batchSize"/> prompts.</summary>
    internal int MomentTileValues(int batchSize)
    {
        int lanes = PromptBatch.TileLanes;
        return (batchSize + lanes - 1) / lanes * PromptBatch.MomentEntries(Task.Dimension) * lanes;
    }

    /// <summary>
    /// Draws batch <paramref name="index"/> of the stream (<paramref name="seed"/>, <paramref name="purpose"/>) as moments:
    /// per prompt S₀ = Σ_{i ≤ n} z_i z_iᵀ, the query token and its target, without the n context tokens. S₀ has exactly
    /// the law it has when computed from drawn tokens, but the values differ from <see cref="Sample"/>'s (other draws).
    /// </summary>
    /// <remarks>
    /// With Σ = C Cᵀ (C = U D) and ε the context-noise vector, [G ε] (G = X C⁻ᵀ) has i.i.d. N(0, 1) entries, so
    /// [G ε]ᵀ[G ε] is Wishart(I, n) of dimension m = d (+1 with noise) and equals A Aᵀ for Bartlett's lower-triangular A:
    /// A_ii = √χ²(n − i), A_ij ~ N(0, 1) below the diagonal, all independent. With B = C A_x (A_x the top-left d×d block,
    /// a the noise row's first d entries): S_xx = B Bᵀ, and with z = Bᵀw + σa, Σ y_i x_i = B z and Σ y_i² = |z|² + σ²A_dd².
    /// χ²(ν) = −2 ln(U_1 ⋯ U_⌊ν/2⌋) (+ N² for odd ν), with one logarithm per product (exponents summed as integers).
    /// Per prompt the draw order is: σ (if noisy), w*, the query's covariate, then the rows of A in order (each row's
    /// normals, then its diagonal). About four times fewer random numbers than drawing the tokens for d = 5, n = 20.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The task cannot be drawn as moments (<see cref="MomentsUnsupported"/>).</exception>
    public PromptBatch SampleMoments(int batchSize, ulong seed, ulong purpose, ulong index, int? maxThreads = null)
    {
        Internal.Guard.Positive(batchSize, nameof(batchSize));
        return SampleMomentsInto(new float[MomentTileValues(batchSize)], new float[batchSize], batchSize, seed, purpose, index, maxThreads);
    }

    /// <summary><see cref="SampleMoments"/> into caller-owned buffers; the returned batch is a view over them.</summary>
    internal PromptBatch SampleMomentsInto(float[] moments, float[] targets, int batchSize, ulong seed, ulong purpose, ulong index, int? maxThreads)
    {
        string unsupported = MomentsUnsupported();
        if (unsupported.Length > 0) throw new InvalidOperationException($"This task cannot be drawn as moments: {unsupported}.");
        int d = Task.Dimension;
        SampleTiles(batchSize, seed, purpose, index, maxThreads, moments, PromptBatch.MomentEntries(d) * PromptBatch.TileLanes,
            (ref LaneRandom random, int tile, int offset, int first, Scratch s) => SampleMomentGroup(ref random, tile, offset, first, batchSize, moments, targets, s));
        return PromptBatch.FromMoments(batchSize, Task.ContextLength, d, moments, targets);
    }

    private void SampleMomentGroup(ref LaneRandom random, int tile, int offset, int first, int batchSize, float[] moments, float[] targets, Scratch s)
    {
        TaskOptions task = Task;
        int n = task.ContextLength, d = task.Dimension, k = d + 1, lanes = PromptBatch.TileLanes, group = Vector<float>.Count;
        bool noisy = task.Noise.Kind != NoiseKind.None;
        int m = noisy ? k : d;
        var normals = new NormalQueue();
        for (int j = 0; j < group; j++) s.Lanes[j] = first + j < batchSize ? 1f : 0f;
        var inBatch = new Vector<float>(s.Lanes);

        Vector<float> sigma = NoiseSigma(ref random, s);
        DrawNormals(ref random, ref normals, s.W.AsSpan(0, d));
        if (_inverseFactor.Length > 0) Transform(_inverseFactor, s.W, s.Features, d);
        DrawCovariate(ref random, ref normals, s);
        Vector<float> target = Label(s);

        Vector<float>[] a = s.Factor;                      // Bartlett factor, row-major m×m, lower triangle
        for (int i = 0; i < m; i++)
        {
            DrawNormals(ref random, ref normals, a.AsSpan(i * m, i));
            a[i * m + i] = Vector.SquareRoot(ChiSquare(ref random, ref normals, n - i));
        }

        // B = C A_x (C = U D), or A_x itself read in place (row stride m): lower triangular without a covariance, so
        // the sums below stop at the diagonal.
        bool triangular = _covarianceFactor.Length == 0;
        Vector<float>[] b = a;
        int stride = m;
        if (!triangular)
        {
            b = s.Rotated;
            stride = d;
            for (int i = 0; i < d; i++)
            {
                for (int c = 0; c < d; c++)
                {
                    Vector<float> sum = Vector<float>.Zero;
                    for (int r = c; r < d; r++) sum = Vector.FusedMultiplyAdd(new Vector<float>(_covarianceFactor[i * d + r]), a[r * m + c], sum);
                    b[i * d + c] = sum;
                }
            }
        }

        int tileStart = tile * PromptBatch.MomentEntries(d) * lanes + offset;
        void Store(int entry, Vector<float> value) => (value * inBatch).CopyTo(moments.AsSpan(tileStart + entry * lanes, group));

        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                int end = triangular ? i + 1 : d;          // i ≤ j: columns past i are zero in both rows when triangular
                Vector<float> sum = Vector<float>.Zero;
                for (int c = 0; c < end; c++) sum = Vector.FusedMultiplyAdd(b[i * stride + c], b[j * stride + c], sum);
                Store(i * k + j, sum);
                Store(j * k + i, sum);
            }
        }

        // z = Bᵀw + σa; S_xy = B z; S_yy = |z|² + σ² A_dd²
        Vector<float>[] z = s.Features;
        for (int c = 0; c < d; c++)
        {
            Vector<float> sum = noisy ? sigma * a[d * m + c] : Vector<float>.Zero;
            for (int r = triangular ? c : 0; r < d; r++) sum = Vector.FusedMultiplyAdd(b[r * stride + c], s.W[r], sum);
            z[c] = sum;
        }
        Vector<float> yy = Vector<float>.Zero;
        for (int c = 0; c < d; c++) yy = Vector.FusedMultiplyAdd(z[c], z[c], yy);
        if (noisy)
        {
            Vector<float> noise = sigma * a[d * m + d];
            yy = Vector.FusedMultiplyAdd(noise, noise, yy);
        }
        for (int i = 0; i < d; i++)
        {
            Vector<float> sum = Vector<float>.Zero;
            for (int c = 0; c < (triangular ? i + 1 : d); c++) sum = Vector.FusedMultiplyAdd(b[i * stride + c], z[c], sum);
            Store(i * k + d, sum);
            Store(d * k + i, sum);
        }
        Store(d * k + d, yy);

        int query = k * k;
        for (int f = 0; f < d; f++) Store(query + f, s.X[f]);
        Store(query + d, Vector<float>.Zero);
        for (int j = 0; j < group && first + j < batchSize; j++) targets[first + j] = target[j];
    }

    // χ²(ν) per lane for an integer ν ≥ 1: −2 ln of a product of ⌊ν/2⌋ uniforms on (0, 1] (Exp(1) sums to Gamma(ν/2, 2)),
    // plus N² for odd ν. After every four uniforms (product ≥ 2⁻⁹⁶, above float's smallest normal) the product's exponent
    // moves to an integer sum and its mantissa is kept, so one logarithm serves the whole product.
    private static Vector<float> ChiSquare(ref LaneRandom stream, ref NormalQueue normals, int degrees)
    {
        LaneRandom random = stream;      // a local copy the JIT can keep in registers through the loop
        Vector<float> product = Vector<float>.One;
        Vector<int> exponent = Vector<int>.Zero;
        int sinceNormalised = 0;
        for (int remaining = degrees / 2; remaining > 0; remaining -= 2)
        {
            random.NextUniformPairNonZero(out Vector<float> u1, out Vector<float> u2);
            product *= remaining >= 2 ? u1 * u2 : u1;
            if ((sinceNormalised += 2) == 4 && remaining > 2)
            {
                Vector<int> bits = Vector.AsVectorInt32(product);
                exponent += Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(127);
                product = Vector.AsVectorSingle((bits & new Vector<int>(0x007FFFFF)) | new Vector<int>(0x3F800000));   // [1, 2)
                sinceNormalised = 0;
            }
        }
        stream = random;
        Vector<float> log = Vector.FusedMultiplyAdd(Vector.ConvertToSingle(exponent), new Vector<float>(0.6931471805599453f), VectorMath.Log(product));
        Vector<float> result = log * new Vector<float>(-2f);
        if (degrees % 2 == 1)
        {
            Vector<float> x = normals.Next(ref stream);
            result = Vector.FusedMultiplyAdd(x, x, result);
        }
        return result;
    }
}
