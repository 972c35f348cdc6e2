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
    public abstract double Process(PromptBatch batch, int start, int end, double gradientScale, Span<double> gradP, Span<double> gradQ, Span<double> predictions);
}

internal sealed class KernelWorker<TOps, TVec, T> : KernelWorker
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private readonly IAttentionKernel<TOps, TVec, T> _kernel;
    private readonly PromptBlock<TOps, TVec, T> _block;

    public KernelWorker(ModelOptions options)
    {
        _kernel = options.Parametrization == Parametrization.Full
            ? new AttentionKernel<TOps, TVec, T>(options.Dimension, options.Layers, options.Heads)
            : new RestrictedKernel<TOps, TVec, T>(options.Dimension, options.Layers, options.Heads, options.Parametrization == Parametrization.Restricted);
        _block = new PromptBlock<TOps, TVec, T>(options.Dimension);
    }

    public override int Width => TOps.Width;

    public override void SetParameters(ReadOnlySpan<double> pFull, ReadOnlySpan<double> qFull) => _kernel.SetParameters(pFull, qFull);

    public override double Process(PromptBatch batch, int start, int end, double gradientScale, Span<double> gradP, Span<double> gradQ, Span<double> predictions)
    {
        bool gradient = gradientScale > 0;
        if (gradient) _kernel.ClearGradients();
        TVec squaredErrors = TOps.Zero;
        TVec twoScale = TOps.Broadcast(TOps.FromDouble(2 * gradientScale));
        PromptBlock<TOps, TVec, T> block = _block;
        for (int b = start; b < end; b += TOps.Width)
        {
            block.Load(batch, b);
            TVec prediction = _kernel.Forward(block);
            TVec residual = TOps.Mul(TOps.Sub(prediction, block.Target), block.Weight);
            squaredErrors = TOps.MulAdd(residual, residual, squaredErrors);
            if (!predictions.IsEmpty)
                for (int lane = 0; lane < block.Count; lane++) predictions[b + lane] = TOps.ToDouble(TOps.GetLane(prediction, lane));
            if (gradient) _kernel.Backward(block, TOps.Mul(residual, twoScale));
        }
        if (gradient) _kernel.AddGradientsTo(gradP, gradQ);
        double sum = 0;
        for (int lane = 0; lane < TOps.Width; lane++) sum += TOps.ToDouble(TOps.GetLane(squaredErrors, lane));
        return sum;
    }
}
