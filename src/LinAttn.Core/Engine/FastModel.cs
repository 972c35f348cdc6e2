using System.Runtime.Intrinsics;
using LinAttn.Engine.Simd;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Engine;

/// <summary>
/// Loss, gradient and predictions of a linear-attention model (identity scores) in the S-form, with SIMD across prompts
/// and prompts split across threads. The batch is cut into fixed chunks whose partial sums are added in chunk order,
/// so results are identical whatever the number of threads.
/// </summary>
internal sealed class FastModel
{
    /// <summary>Prompts per chunk: the unit of work of a thread and of the deterministic reduction.</summary>
    public const int ChunkPrompts = 256;

    private readonly ModelOptions _options;
    private readonly ParameterMap _map;
    private readonly KernelWorker[] _workers;
    private readonly double[] _pFull, _qFull;
    private readonly int _attention, _slot;   // θ's attention part; per-chunk gradient slot: P_full, Q_full, MLP
    private double[] _chunkGradients = Array.Empty<double>();
    private double[] _chunkLosses = Array.Empty<double>();

    public FastModel(ModelOptions options, int? threads = null, SimdWidth width = SimdWidth.Auto)
    {
        if (!FastBackend.Supports(options))
            throw new ArgumentOutOfRangeException(nameof(options), $"The fast engine cannot compute this model: {FastBackend.Unsupported(options)}; use the TorchSharp engine.");
        _options = options;
        _map = new ParameterMap(options);
        int count = Math.Max(1, threads ?? Environment.ProcessorCount);
        _workers = Enumerable.Range(0, count).Select(_ => CreateWorker(options, width)).ToArray();
        _pFull = new double[_map.FullSize];
        _qFull = new double[_map.FullSize];
        _attention = options.AttentionParameterCount;
        _slot = 2 * _map.FullSize + options.FeatureMlpParameterCount;
        Width = _workers[0].Width;
    }

    public ModelOptions Options => _options;

    /// <summary>Lanes per SIMD block.</summary>
    public int Width { get; }

    public int Threads => _workers.Length;

    /// <summary>Mean squared error on <paramref name="batch"/>; fills <paramref name="gradient"/> (θ layout) unless it is empty.</summary>
    public double LossAndGradient(ReadOnlySpan<double> theta, PromptBatch batch, Span<double> gradient)
    {
        bool wantGradient = !gradient.IsEmpty;
        double sum = Run(theta, batch, wantGradient, Span<double>.Empty);
        if (wantGradient)
        {
            int full = _map.FullSize;
            var gradP = new double[full];
            var gradQ = new double[full];
            int chunks = ChunkCount(batch.BatchSize);
            Span<double> features = gradient[_attention..];
            features.Clear();
            for (int c = 0; c < chunks; c++)
            {
                ReadOnlySpan<double> slot = _chunkGradients.AsSpan(c * _slot, _slot);
                for (int i = 0; i < full; i++)
                {
                    gradP[i] += slot[i];
                    gradQ[i] += slot[full + i];
                }
                for (int i = 0; i < features.Length; i++) features[i] += slot[2 * full + i];
            }
            _map.FromFullGradient(gradP, gradQ, gradient);
        }
        return sum / batch.BatchSize;
    }

    /// <summary>Keeps <paramref name="batch"/>'s loaded blocks between calls on that batch (see <see cref="KernelWorker.Retain"/>);
    /// null releases them.</summary>
    public void Retain(PromptBatch? batch)
    {
        foreach (KernelWorker worker in _workers) worker.Retain(batch);
    }

    /// <summary>Writes ŷ for every prompt into <paramref name="predictions"/>.</summary>
    public void Predict(ReadOnlySpan<double> theta, PromptBatch batch, Span<double> predictions)
        => Run(theta, batch, false, predictions);

    private double Run(ReadOnlySpan<double> theta, PromptBatch batch, bool gradient, Span<double> predictions)
    {
        if (batch.Dimension != _options.Dimension)
            throw new ArgumentOutOfRangeException(nameof(batch), $"batch has d = {batch.Dimension}, the model d = {_options.Dimension}.");
        _map.ToFull(theta, _pFull, _qFull);
        foreach (KernelWorker worker in _workers)
        {
            worker.SetParameters(_pFull, _qFull);
            worker.SetFeatureParameters(theta[_attention..]);
        }

        int chunks = ChunkCount(batch.BatchSize);
        int full = _map.FullSize;
        if (_chunkLosses.Length < chunks) _chunkLosses = new double[chunks];
        int size = _slot;
        if (gradient && _chunkGradients.Length < chunks * size) _chunkGradients = new double[chunks * size];
        if (gradient) Array.Clear(_chunkGradients, 0, chunks * size);
        double scale = gradient ? 1.0 / batch.BatchSize : 0.0;
        double[] chunkGradients = _chunkGradients, chunkLosses = _chunkLosses;
        double[]? predicted = predictions.IsEmpty ? null : new double[batch.BatchSize];

        void RunChunk(KernelWorker worker, int c)
        {
            int start = c * ChunkPrompts, end = Math.Min(batch.BatchSize, start + ChunkPrompts);
            Span<double> slot = gradient ? chunkGradients.AsSpan(c * size, size) : Span<double>.Empty;
            chunkLosses[c] = worker.Process(batch, start, end, scale,
                gradient ? slot[..full] : Span<double>.Empty, gradient ? slot.Slice(full, full) : Span<double>.Empty,
                predicted is null ? Span<double>.Empty : predicted, gradient ? slot[(2 * full)..] : Span<double>.Empty);
        }

        int threads = Math.Min(_workers.Length, chunks);
        if (threads <= 1)
        {
            for (int c = 0; c < chunks; c++) RunChunk(_workers[0], c);
        }
        else
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, w =>
            {
                for (int c = w; c < chunks; c += threads) RunChunk(_workers[w], c);
            });
        }
        predicted?.CopyTo(predictions);
        double sum = 0;
        for (int c = 0; c < chunks; c++) sum += chunkLosses[c];
        return sum;
    }

    private static int ChunkCount(int batchSize) => (batchSize + ChunkPrompts - 1) / ChunkPrompts;

    internal static KernelWorker CreateWorker(ModelOptions options, SimdWidth width)
    {
        bool use512 = width is SimdWidth.Auto or SimdWidth.Vector512 && Vector512.IsHardwareAccelerated;
        bool use256 = !use512 && width is SimdWidth.Auto or SimdWidth.Vector256 && Vector256.IsHardwareAccelerated;
        if (options.Precision == Precision.Float64)
        {
            if (use512) return new KernelWorker<Double512, Vector512<double>, double>(options);
            if (use256) return new KernelWorker<Double256, Vector256<double>, double>(options);
            return new KernelWorker<DoubleScalar, double, double>(options);
        }
        if (use512) return new KernelWorker<Float512, Vector512<float>, float>(options);
        if (use256) return new KernelWorker<Float256, Vector256<float>, float>(options);
        return new KernelWorker<FloatScalar, float, float>(options);
    }
}
