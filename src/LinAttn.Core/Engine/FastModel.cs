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
    private readonly double[] _pFull, _qFull, _gradP, _gradQ;
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
        _gradP = new double[_map.FullSize];
        _gradQ = new double[_map.FullSize];
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
            double[] gradP = _gradP, gradQ = _gradQ;   // reused: no allocation per training step
            Array.Clear(gradP);
            Array.Clear(gradQ);
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

        ForEachChunk(chunks, RunChunk);
        predicted?.CopyTo(predictions);
        double sum = 0;
        for (int c = 0; c < chunks; c++) sum += chunkLosses[c];
        return sum;
    }

    // Chunk c runs on worker c mod threads; results go to per-chunk slots, so they do not depend on the thread count.
    private void ForEachChunk(int chunks, Action<KernelWorker, int> run)
    {
        int threads = Math.Min(_workers.Length, chunks);
        if (threads <= 1)
        {
            for (int c = 0; c < chunks; c++) run(_workers[0], c);
            return;
        }
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, w =>
        {
            for (int c = w; c < chunks; c += threads) run(_workers[w], c);
        });
    }

    /// <summary>Whether <see cref="Hessian"/> can run: the per-chunk column gradients (P + 1 sets of 2·L·H·(d+1)² values
    /// per 256 prompts) within 256 MB.</summary>
    public bool SupportsLayeredHessian(int batchSize)
        => (double)ChunkCount(batchSize) * (_options.ParameterCount + 1) * 2 * _map.FullSize * sizeof(double) <= 256.0 * 1024 * 1024;

    /// <summary>
    /// The forward-difference Hessian of the mean squared error, H e_j ≈ (∇f(θ + ε e_j) − ∇f(θ)) / ε_j (ε_j the step
    /// actually taken after rounding), with the gradients computed block by block (<see cref="KernelWorker.GradientColumns"/>):
    /// column j only holds the layers at and above θ_j's layer, and the entries above the diagonal blocks are filled from the
    /// transposed column (the one of the lower layer). Within a layer the two one-sided differences are averaged. Every
    /// computed entry equals the corresponding difference of two <see cref="LossAndGradient"/> calls bit for bit.
    /// A feature MLP counts as the layer below the first: its columns are whole gradients (a shifted MLP weight changes
    /// S₀), and they supply the MLP rows of the attention columns.
    /// </summary>
    /// <param name="theta">θ.</param>
    /// <param name="batch">The prompts.</param>
    /// <param name="epsilon">The forward-difference step.</param>
    /// <param name="skip">Coordinates not evaluated (their gradient entries must be exactly zero at every θ).</param>
    public double[] Hessian(ReadOnlySpan<double> theta, PromptBatch batch, double epsilon, bool[] skip)
    {
        if (!SupportsLayeredHessian(batch.BatchSize)) throw new InvalidOperationException("This model's Hessian needs the gradient-by-gradient path.");
        int p = _options.ParameterCount, full = _map.FullSize;
        var layerOf = new int[p];
        for (int i = 0; i < p; i++) layerOf[i] = i < _attention ? _map.Locate(i).Layer : -1;
        var columns = new List<(int Index, ShiftedEntry Entry)>();
        for (int j = 0; j < _attention; j++)
        {
            if (skip[j]) continue;
            var (matrix, index, layer) = _map.Locate(j);
            columns.Add((j, new ShiftedEntry(matrix, index, layer, theta[j], theta[j] + epsilon)));
        }
        // Highest layer first: each column then reruns only layers its predecessors left at θ below it.
        var ordered = columns.OrderByDescending(c => c.Entry.Layer).ThenBy(c => c.Index).ToArray();
        ShiftedEntry[] entries = ordered.Select(c => c.Entry).ToArray();
        int sets = entries.Length + 1, setSize = 2 * full * sets;

        _map.ToFull(theta, _pFull, _qFull);
        foreach (KernelWorker worker in _workers)
        {
            worker.SetParameters(_pFull, _qFull);
            worker.SetFeatureParameters(theta[_attention..]);
        }
        int chunks = ChunkCount(batch.BatchSize);
        var chunkResults = new double[chunks * setSize];
        double scale = 1.0 / batch.BatchSize;
        Retain(batch);   // a block is read once per pass over the columns (without a feature MLP)
        try
        {
            ForEachChunk(chunks, (worker, c) =>
            {
                int start = c * ChunkPrompts, end = Math.Min(batch.BatchSize, start + ChunkPrompts);
                worker.GradientColumns(batch, start, end, scale, entries, chunkResults.AsSpan(c * setSize, setSize));
            });
        }
        finally
        {
            Retain(null);
        }

        var sums = new double[setSize];
        for (int c = 0; c < chunks; c++)
            for (int i = 0; i < setSize; i++) sums[i] += chunkResults[c * setSize + i];
        var atTheta = new double[p];
        var shifted = new double[p];
        _map.FromFullGradient(sums.AsSpan(0, full), sums.AsSpan(full, full), atTheta);
        var hessian = new double[p * p];
        for (int s = 0; s < entries.Length; s++)
        {
            int j = ordered[s].Index;
            _map.FromFullGradient(sums.AsSpan(2 * (s + 1) * full, full), sums.AsSpan((2 * (s + 1) + 1) * full, full), shifted);
            double step = entries[s].Shifted - entries[s].Original;
            for (int i = 0; i < _attention; i++)
                if (layerOf[i] >= layerOf[j]) hessian[i * p + j] = (shifted[i] - atTheta[i]) / step;
        }
        if (_attention < p) FeatureColumns(theta, batch, epsilon, skip, hessian);
        Symmetrize(hessian, p, layerOf);
        return hessian;
    }

    // The feature MLP's columns, every row: differences of whole gradients (the MLP feeds S₀ of every layer).
    private void FeatureColumns(ReadOnlySpan<double> theta, PromptBatch batch, double epsilon, bool[] skip, double[] hessian)
    {
        int p = _options.ParameterCount;
        var atTheta = new double[p];
        var shiftedGradient = new double[p];
        double[] shifted = theta.ToArray();
        LossAndGradient(theta, batch, atTheta);
        for (int j = _attention; j < p; j++)
        {
            if (skip[j]) continue;
            shifted[j] = theta[j] + epsilon;
            double step = shifted[j] - theta[j];
            LossAndGradient(shifted, batch, shiftedGradient);
            shifted[j] = theta[j];
            for (int i = 0; i < p; i++) hessian[i * p + j] = (shiftedGradient[i] - atTheta[i]) / step;
        }
    }

    /// <summary>
    /// Makes a forward-difference Hessian (column j = the difference quotient along θ_j) symmetric: within a layer the
    /// two one-sided entries are averaged; across layers the entry of the lower layer's column is used for both (the
    /// other was not computed). With every coordinate in one layer this is the plain mean of H and Hᵀ.
    /// </summary>
    internal static void Symmetrize(double[] hessian, int p, int[] layerOf)
    {
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++)
            {
                if (layerOf[i] == layerOf[j])
                {
                    double mean = 0.5 * (hessian[i * p + j] + hessian[j * p + i]);
                    hessian[i * p + j] = mean;
                    hessian[j * p + i] = mean;
                }
                else if (layerOf[i] > layerOf[j]) hessian[j * p + i] = hessian[i * p + j];
                else hessian[i * p + j] = hessian[j * p + i];
            }
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
