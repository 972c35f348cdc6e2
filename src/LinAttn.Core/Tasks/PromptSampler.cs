using System.Numerics;
using System.Runtime.CompilerServices;
using LinAttn.Internal;
using LinAttn.Random;

namespace LinAttn.Tasks;

/// <summary>
/// Draws batches of prompts for a <see cref="TaskOptions"/>, vectorised across prompts. Prompt b of batch <c>index</c>
/// under <c>seed</c> is drawn from its own counter-based stream (seed, purpose, index, b), so a batch is a pure function of
/// those numbers: independent of thread count and SIMD width, and any batch can be redrawn alone. The batch is produced
/// in the structure-of-arrays layout the fast engine reads; <see cref="PromptBatch.Tokens"/> converts on first use.
/// </summary>
/// <remarks>
/// Per prompt the draw order is: σ (if noisy), w*, then for each token (context then query) its raw covariate, its Gamma
/// radius (Gamma covariates) and, for context tokens of noisy tasks, the label noise. Normals come from Box–Muller with
/// 24-bit uniforms (tails truncated at 5.77σ); Gamma radii from Marsaglia–Tsang with the U^(1/k) boost for k &lt; 1.
/// </remarks>
public sealed partial class PromptSampler
{
    private const int ParallelThreshold = 512;
    private readonly ReluFeatureMap? _featureMap;
    private readonly float[] _covarianceFactor;     // U D, row-major (Gaussian with covariance)
    private readonly float[] _inverseFactor;        // U D⁻¹, row-major (weights from the inverse covariance)
    private readonly float _gammaScale;

    /// <summary>Creates a sampler for <paramref name="task"/> (validated).</summary>
    public PromptSampler(TaskOptions task)
    {
        Guard.NotNull(task).Validate();
        Task = task;
        _gammaScale = (float)Math.Sqrt(10.0 / task.GammaShape);
        if (task.Target == TargetFunction.RandomReluFeatures)
            _featureMap = new ReluFeatureMap(task.Dimension, task.FeatureHiddenWidth, task.FeatureMapSeed);
        _covarianceFactor = task.Covariance is { } cov ? Factor(cov, s => s) : Array.Empty<float>();
        _inverseFactor = task.WeightsFromInverseCovariance ? Factor(task.Covariance!, s => 1 / s) : Array.Empty<float>();
    }

    /// <summary>The task.</summary>
    public TaskOptions Task { get; }

    /// <summary>Draws B prompts: batch <paramref name="index"/> of the stream (<paramref name="seed"/>, <paramref name="purpose"/>).</summary>
    /// <param name="batchSize">B ≥ 1.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="purpose">One of <see cref="StreamPurpose"/>: training, evaluation, diagnostics.</param>
    /// <param name="index">The batch number (e.g. the training step).</param>
    /// <param name="maxThreads">Upper bound on threads used; null means all cores. Results do not depend on it.</param>
    public PromptBatch Sample(int batchSize, ulong seed, ulong purpose, ulong index, int? maxThreads = null)
    {
        Guard.Positive(batchSize, nameof(batchSize));
        return SampleInto(new float[TileValues(batchSize)], new float[batchSize], batchSize, seed, purpose, index, maxThreads);
    }

    /// <summary>Values in the tile layout for <paramref name="batchSize"/> prompts.</summary>
    internal int TileValues(int batchSize)
    {
        int lanes = PromptBatch.TileLanes;
        return (batchSize + lanes - 1) / lanes * (Task.ContextLength + 1) * (Task.Dimension + 1) * lanes;
    }

    /// <summary>Draws into caller-owned buffers (reused across steps by <c>SyntheticBatchSource</c>); the returned batch
    /// is a view over them.</summary>
    internal PromptBatch SampleInto(float[] soa, float[] targets, int batchSize, ulong seed, ulong purpose, ulong index, int? maxThreads)
    {
        int n = Task.ContextLength, d = Task.Dimension;
        int tileValues = (n + 1) * (d + 1) * PromptBatch.TileLanes;
        SampleTiles(batchSize, seed, purpose, index, maxThreads, soa, tileValues,
            (ref LaneRandom random, int tile, int offset, int first, Scratch s) => SampleGroup(ref random, tile, offset, first, batchSize, soa, targets, s));
        return PromptBatch.FromTiles(batchSize, n, d, soa, targets);
    }

    private delegate void GroupSampler(ref LaneRandom random, int tile, int offset, int first, Scratch scratch);

    // Every tile of TileLanes prompts, in groups of Vector<float>.Count lanes, each group from its prompts' own streams;
    // tiles are split across threads (the values do not depend on the split). The last tile's lanes past B stay zero.
    private void SampleTiles(int batchSize, ulong seed, ulong purpose, ulong index, int? maxThreads, float[] values, int tileValues,
        GroupSampler sampleGroup)
    {
        int lanes = PromptBatch.TileLanes;
        int tiles = (batchSize + lanes - 1) / lanes;
        if (batchSize % lanes != 0) Array.Clear(values, (tiles - 1) * tileValues, tileValues);
        int threads = Math.Min(maxThreads ?? Environment.ProcessorCount, Environment.ProcessorCount);
        if (batchSize < ParallelThreshold || threads <= 1)
        {
            var scratch = new Scratch(this);
            for (int t = 0; t < tiles; t++) SampleTile(t, batchSize, seed, purpose, index, scratch, sampleGroup);
        }
        else
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, w =>
            {
                var scratch = new Scratch(this);
                for (int t = w; t < tiles; t += threads) SampleTile(t, batchSize, seed, purpose, index, scratch, sampleGroup);
            });
        }
    }

    private sealed class Scratch
    {
        public readonly ulong[] Keys = new ulong[Vector<float>.Count];
        public readonly Vector<float>[] W, X, Hidden, Features, Factor, Rotated;
        public readonly float[] Lanes = new float[Vector<float>.Count];

        public Scratch(PromptSampler sampler)
        {
            int d = sampler.Task.Dimension;
            W = new Vector<float>[d];
            X = new Vector<float>[d];
            Features = new Vector<float>[d];
            Hidden = new Vector<float>[sampler.Task.FeatureHiddenWidth];
            Factor = new Vector<float>[(d + 1) * (d + 1)];
            Rotated = new Vector<float>[d * d];
        }
    }

    private static void SampleTile(int tile, int batchSize, ulong seed, ulong purpose, ulong index, Scratch s, GroupSampler sampleGroup)
    {
        int lanes = PromptBatch.TileLanes, group = Vector<float>.Count;
        ulong batchKey = CounterRandom.BatchKey(seed, purpose, index);
        for (int offset = 0; offset < lanes; offset += group)
        {
            int first = tile * lanes + offset;
            if (first >= batchSize) break;
            for (int j = 0; j < group; j++) s.Keys[j] = CounterRandom.ItemKey(batchKey, (ulong)(first + j));
            var random = new LaneRandom(s.Keys);
            sampleGroup(ref random, tile, offset, first, s);
        }
    }

    private void SampleGroup(ref LaneRandom random, int tile, int offset, int first, int batchSize, float[] soa, float[] targets, Scratch s)
    {
        TaskOptions task = Task;
        int n = task.ContextLength, d = task.Dimension, k = d + 1, lanes = PromptBatch.TileLanes, group = Vector<float>.Count;
        int entries = (n + 1) * k;
        var normals = new NormalQueue();
        for (int j = 0; j < group; j++) s.Lanes[j] = first + j < batchSize ? 1f : 0f;
        var inBatch = new Vector<float>(s.Lanes);     // zeroes lanes past the end of the batch

        Vector<float> sigma = NoiseSigma(ref random, s);
        DrawNormals(ref random, ref normals, s.W.AsSpan(0, d));
        if (_inverseFactor.Length > 0) Transform(_inverseFactor, s.W, s.Features, d);

        Span<float> tileData = soa.AsSpan(tile * entries * lanes, entries * lanes);
        Vector<float> label = Vector<float>.Zero;
        for (int t = 0; t <= n; t++)
        {
            DrawCovariate(ref random, ref normals, s);
            label = Label(s);
            for (int f = 0; f < d; f++) (s.X[f] * inBatch).CopyTo(tileData.Slice((t * k + f) * lanes + offset, group));
            Vector<float> y = Vector<float>.Zero;
            if (t < n)
            {
                y = label;
                if (task.Noise.Kind != NoiseKind.None) y = Vector.FusedMultiplyAdd(sigma, normals.Next(ref random), y);
            }
            (y * inBatch).CopyTo(tileData.Slice((t * k + d) * lanes + offset, group));
        }
        for (int j = 0; j < group && first + j < batchSize; j++) targets[first + j] = label[j];
    }

    private Vector<float> NoiseSigma(ref LaneRandom random, Scratch s)
    {
        LabelNoise noise = Task.Noise;
        var all = new Vector<int>(-1);
        switch (noise.Kind)
        {
            case NoiseKind.Fixed:
                return new Vector<float>((float)noise.Sigma);
            case NoiseKind.Uniform:
                return random.NextUniform(all) * new Vector<float>((float)noise.Sigma);
            case NoiseKind.Categorical:
                Vector<float> u = random.NextUniform(all);
                for (int j = 0; j < Vector<float>.Count; j++)
                    s.Lanes[j] = (float)noise.Choices[Math.Min(noise.Choices.Count - 1, (int)(u[j] * noise.Choices.Count))];
                return new Vector<float>(s.Lanes);
            default:
                return Vector<float>.Zero;
        }
    }

    private void DrawCovariate(ref LaneRandom random, ref NormalQueue normals, Scratch s)
    {
        TaskOptions task = Task;
        int d = task.Dimension;
        DrawNormals(ref random, ref normals, s.X.AsSpan(0, d));
        switch (task.Covariates)
        {
            case CovariateDistribution.Gaussian when _covarianceFactor.Length > 0:
                Transform(_covarianceFactor, s.X, s.Features, d);
                break;
            case CovariateDistribution.Gaussian:
                break;
            default:
            {
                Vector<float> squared = Vector<float>.Zero;
                for (int i = 0; i < d; i++) squared = Vector.FusedMultiplyAdd(s.X[i], s.X[i], squared);
                Vector<float> scale = Vector<float>.One / Vector.SquareRoot(squared);
                if (task.Covariates == CovariateDistribution.Gamma)
                    scale *= Vector.SquareRoot(VectorGamma.Sample(ref random, (float)task.GammaShape) * new Vector<float>(_gammaScale));
                for (int i = 0; i < d; i++) s.X[i] *= scale;
                break;
            }
        }
    }

    // Fills `into` with the stream's next normals. The state is copied to locals for the loop, where the JIT keeps it in
    // registers (through the ref parameters it would be loaded and stored at every draw).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DrawNormals(ref LaneRandom random, ref NormalQueue normals, Span<Vector<float>> into)
    {
        LaneRandom stream = random;
        NormalQueue queue = normals;
        for (int i = 0; i < into.Length; i++) into[i] = queue.Next(ref stream);
        random = stream;
        normals = queue;
    }

    private Vector<float> Label(Scratch s)
    {
        Vector<float>[] features = s.X;
        if (_featureMap is not null)
        {
            _featureMap.Apply(s.X, s.Hidden, s.Features);
            features = s.Features;
        }
        Vector<float> y = Vector<float>.Zero;
        for (int i = 0; i < features.Length; i++) y = Vector.FusedMultiplyAdd(s.W[i], features[i], y);
        return y;
    }

    // v ← M v for a row-major d×d matrix M (lane-wise).
    private static void Transform(float[] matrix, Vector<float>[] v, Vector<float>[] scratch, int d)
    {
        for (int r = 0; r < d; r++)
        {
            Vector<float> sum = Vector<float>.Zero;
            for (int c = 0; c < d; c++) sum = Vector.FusedMultiplyAdd(new Vector<float>(matrix[r * d + c]), v[c], sum);
            scratch[r] = sum;
        }
        Array.Copy(scratch, v, d);
    }

    private static float[] Factor(CovarianceFactor cov, Func<double, double> scale)
    {
        int d = cov.Dimension;
        var m = new float[d * d];
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++) m[r * d + c] = (float)(cov.Rotation[r * d + c] * scale(cov.Scales[c]));
        return m;
    }
}
