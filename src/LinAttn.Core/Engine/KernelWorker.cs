using System.Runtime.CompilerServices;
using LinAttn.Engine.Simd;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Engine;

/// <summary>One thread's kernel: runs forward (and backward) over a contiguous range of prompts.</summary>
internal abstract class KernelWorker
{
    /// <summary>Lanes per block.</summary>
    public abstract int Width { get; }

    public abstract void SetParameters(ReadOnlySpan<double> pFull, ReadOnlySpan<double> qFull);

    /// <summary>
    /// Processes prompts [start, end): returns Σ (ŷ − y)²; with <paramref name="gradientScale"/> &gt; 0 also adds
    /// gradientScale · Σ ∂(ŷ − y)²/∂(P, Q) to <paramref name="gradP"/> and <paramref name="gradQ"/>; writes ŷ into
    /// <paramref name="predictions"/> when it is not empty.
    /// </summary>
    /// <param name="batch">The prompts.</param>
    /// <param name="start">First prompt.</param>
    /// <param name="end">One past the last prompt.</param>
    /// <param name="gradientScale">Factor of the gradient sums; 0 for no gradient.</param>
    /// <param name="gradP">P_full gradient to add to.</param>
    /// <param name="gradQ">Q_full gradient to add to.</param>
    /// <param name="predictions">ŷ per prompt of the batch, or empty.</param>
    /// <param name="gradFeatures">The feature-MLP part of the gradient (θ layout), added to like the others; empty
    /// without a feature MLP.</param>
    public abstract double Process(PromptBatch batch, int start, int end, double gradientScale, Span<double> gradP, Span<double> gradQ,
        Span<double> predictions, Span<double> gradFeatures = default);

    /// <summary>Broadcasts the feature-MLP part of θ (nothing without a feature MLP).</summary>
    public abstract void SetFeatureParameters(ReadOnlySpan<double> mlp);

    /// <summary>
    /// Keeps the loaded blocks (S₀, query, targets) of <paramref name="batch"/> across calls of <see cref="Process"/> on
    /// that same batch object, for callers that evaluate many parameter vectors on one unchanging batch (a Hessian's
    /// P + 1 gradients); null drops them. The caller must not change the batch's contents while it is retained.
    /// </summary>
    public abstract void Retain(PromptBatch? batch);

    /// <summary>
    /// The gradient sums of prompts [start, end) at θ (as set by <see cref="SetParameters"/>) and at θ with each of
    /// <paramref name="columns"/> shifted in turn, block by block: each column reruns the forward pass only from its
    /// layer up (the layers below are unchanged) and the backward pass only down to its layer, so its gradient holds
    /// the layers at and above the column's layer (zeros below). <paramref name="result"/> receives, per set (θ first,
    /// then the columns in order), gradientScale · Σ ∂(ŷ − y)²/∂P_full then ∂/∂Q_full, 2 · FullSize values each set.
    /// The columns must come in non-increasing layer order (each then reruns only layers that its predecessors left
    /// at θ below it; checked). Not available with a feature MLP.
    /// </summary>
    public abstract void GradientColumns(PromptBatch batch, int start, int end, double gradientScale, ReadOnlySpan<ShiftedEntry> columns,
        Span<double> result);
}

/// <summary>One coordinate of θ moved for a forward-difference Hessian column: the P_full (0) or Q_full (1) entry it
/// sets, that entry's layer, and its value at θ and shifted.</summary>
internal readonly record struct ShiftedEntry(int Matrix, int FullIndex, int Layer, double Original, double Shifted);

internal sealed class KernelWorker<TOps, TVec, T> : KernelWorker
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly IAttentionKernel<TOps, TVec, T> _kernel;
    private readonly FeatureMlp<TOps, TVec, T>? _mlp;
    private readonly AttentionKernel<TOps, TVec, T>? _fullKernel;   // the kernel, when the MLP needs its input gradients
    private readonly PromptBlock<TOps, TVec, T> _block;
    private readonly int _layers;
    private PromptBatch? _retained;
    private PromptBlock<TOps, TVec, T>?[] _cache = Array.Empty<PromptBlock<TOps, TVec, T>?>();
    private readonly List<(LaneBuffer<TVec> P, LaneBuffer<TVec> Q)> _accumulators = new();   // Hessian columns of one pass

    public KernelWorker(ModelOptions options)
    {
        if (options.FeatureMlpWidth > 0)
        {
            // FastBackend.Supports admits a feature MLP with the Full parametrisation only.
            _mlp = new FeatureMlp<TOps, TVec, T>(options.Dimension, options.FeatureMlpWidth);
            _fullKernel = new AttentionKernel<TOps, TVec, T>(options.Dimension, options.Layers, options.Heads, inputGradients: true);
            _kernel = _fullKernel;
        }
        else if (options.Activation != ScoreActivation.Identity)
        {
            _kernel = new TokenAttentionKernel<TOps, TVec, T>(options.Dimension, options.Layers, options.Heads, options.Activation);
        }
        else
        {
            _kernel = options.Parametrization == Parametrization.Full
                ? new AttentionKernel<TOps, TVec, T>(options.Dimension, options.Layers, options.Heads)
                : new RestrictedKernel<TOps, TVec, T>(options.Dimension, options.Layers, options.Heads, options.Parametrization == Parametrization.Restricted);
        }
        // The token-level kernel (softmax, ReLU) reads the tokens, not S₀.
        _block = new PromptBlock<TOps, TVec, T>(options.Dimension, _mlp, keepTokens: _kernel is TokenAttentionKernel<TOps, TVec, T>);
        _layers = options.Layers;
    }

    public override void SetFeatureParameters(ReadOnlySpan<double> mlp) => _mlp?.SetParameters(mlp);

    public override void Retain(PromptBatch? batch)
    {
        if (_mlp is not null) batch = null;   // S₀ then depends on the parameters: nothing to keep
        _retained = batch;
        _cache = batch is null ? Array.Empty<PromptBlock<TOps, TVec, T>?>() : new PromptBlock<TOps, TVec, T>?[(batch.BatchSize + TOps.Width - 1) / TOps.Width];
    }

    private PromptBlock<TOps, TVec, T> BlockAt(PromptBatch batch, int start)
    {
        if (!ReferenceEquals(batch, _retained))
        {
            _block.Load(batch, start);
            return _block;
        }
        ref PromptBlock<TOps, TVec, T>? cached = ref _cache[start / TOps.Width];
        if (cached is null)
        {
            _block.Load(batch, start);
            cached = _block.Snapshot();
        }
        return cached;
    }

    public override int Width => TOps.Width;

    public override void SetParameters(ReadOnlySpan<double> pFull, ReadOnlySpan<double> qFull) => _kernel.SetParameters(pFull, qFull);

    public override double Process(PromptBatch batch, int start, int end, double gradientScale, Span<double> gradP, Span<double> gradQ,
        Span<double> predictions, Span<double> gradFeatures = default)
    {
        bool gradient = gradientScale > 0;
        if (gradient)
        {
            _kernel.ClearGradients();
            _mlp?.ClearGradients();
        }
        TVec squaredErrors = TOps.Zero;
        TVec twoScale = TOps.Broadcast(TOps.FromDouble(2 * gradientScale));
        for (int b = start; b < end; b += TOps.Width)
        {
            PromptBlock<TOps, TVec, T> block = BlockAt(batch, b);
            TVec prediction = _kernel.Forward(block);
            TVec residual = TOps.Mul(TOps.Sub(prediction, block.Target), block.Weight);
            squaredErrors = TOps.MulAdd(residual, residual, squaredErrors);
            if (!predictions.IsEmpty)
                for (int lane = 0; lane < block.Count; lane++) predictions[b + lane] = TOps.ToDouble(TOps.GetLane(prediction, lane));
            if (gradient)
            {
                _kernel.Backward(block, TOps.Mul(residual, twoScale));
                _mlp?.Backward(_fullKernel!.InputGradientS, _fullKernel.InputGradientQuery);
            }
        }
        if (gradient)
        {
            _kernel.AddGradientsTo(gradP, gradQ);
            _mlp?.AddGradientsTo(gradFeatures);
        }
        double sum = 0;
        for (int lane = 0; lane < TOps.Width; lane++) sum += TOps.ToDouble(TOps.GetLane(squaredErrors, lane));
        return sum;
    }

    public override void GradientColumns(PromptBatch batch, int start, int end, double gradientScale, ReadOnlySpan<ShiftedEntry> columns,
        Span<double> result)
    {
        for (int c = 1; c < columns.Length; c++)
            if (columns[c].Layer > columns[c - 1].Layer)
                throw new ArgumentException($"columns must come in non-increasing layer order, but column {c} (layer {columns[c].Layer}) follows layer {columns[c - 1].Layer}.", nameof(columns));
        int length = _kernel.GradientLength, full = result.Length / (2 * (columns.Length + 1));
        var own = _kernel.Gradients;
        try
        {
            TVec twoScale = TOps.Broadcast(TOps.FromDouble(2 * gradientScale));
            int first = 0;
            while (first < columns.Length || first == 0)
            {
                // A pass takes the next columns whose accumulators fit in L2 together: every block touches all of them.
                // Slot 0 accumulates the gradient at θ (first pass only), slots 1… the pass's columns.
                int last = first, touched = 0;
                while (last < columns.Length && (last == first || touched + Touched(columns[last]) <= AccumulatorBudget / Unsafe.SizeOf<TVec>()))
                    touched += Touched(columns[last++]);
                EnsureAccumulators(last - first + 1, length, clearFrom: first == 0 ? 0 : 1);
                for (int b = start; b < end; b += TOps.Width)
                {
                    PromptBlock<TOps, TVec, T> block = BlockAt(batch, b);
                    TVec atTheta = _kernel.Forward(block);   // also restores the state at θ of the layers below this pass's columns
                    if (first == 0)
                    {
                        _kernel.Gradients = _accumulators[0];
                        _kernel.Backward(block, ScaledResidual(block, atTheta, twoScale));
                    }
                    for (int c = first; c < last; c++)
                    {
                        ShiftedEntry column = columns[c];
                        _kernel.SetEntry(column.Matrix, column.FullIndex, column.Shifted);
                        TVec prediction = _kernel.Forward(block, column.Layer);
                        _kernel.Gradients = _accumulators[c - first + 1];
                        _kernel.Backward(block, ScaledResidual(block, prediction, twoScale), column.Layer);
                        _kernel.SetEntry(column.Matrix, column.FullIndex, column.Original);
                    }
                }
                for (int c = first; c < last; c++) AddAccumulated(c - first + 1, result, c + 1, full);
                if (last == first) break;
                first = last;
            }
            AddAccumulated(0, result, 0, full);
        }
        finally
        {
            _kernel.Gradients = own;
        }
    }

    // At least `count` accumulator sets of `length` vectors, sets from `clearFrom` on zeroed (slot 0 keeps the gradient at θ).
    private void EnsureAccumulators(int count, int length, int clearFrom)
    {
        while (_accumulators.Count < count) _accumulators.Add((LaneBuffer<TVec>.Allocate(length), LaneBuffer<TVec>.Allocate(length)));
        for (int i = clearFrom; i < count; i++)
        {
            _kernel.Gradients = _accumulators[i];
            _kernel.ClearGradients();
        }
    }

    // Adds the lane sums of accumulator set `slot` to result set `set` (P_full then Q_full, `full` values each).
    private void AddAccumulated(int slot, Span<double> result, int set, int full)
    {
        _kernel.Gradients = _accumulators[slot];
        _kernel.AddGradientsTo(result.Slice(2 * set * full, full), result.Slice((2 * set + 1) * full, full));
    }

    // Bytes of per-column accumulators one pass over the blocks may touch (Zen 4 has 1 MB of L2 per core; the kernel's
    // own state needs the rest). With all columns in one pass, L = 8 Hessians ran 1.6× slower than with shared ones.
    private const int AccumulatorBudget = 256 * 1024;

    // Accumulator vectors a column's backward pass writes: the layers at and above its own.
    private int Touched(ShiftedEntry column) => 2 * _kernel.GradientLength / _layers * (_layers - column.Layer);

    // ∂(ŷ − y)²/∂ŷ times the gradient scale, zero in padding lanes.
    private static TVec ScaledResidual(PromptBlock<TOps, TVec, T> block, TVec prediction, TVec twoScale)
        => TOps.Mul(TOps.Mul(TOps.Sub(prediction, block.Target), block.Weight), twoScale);
}
