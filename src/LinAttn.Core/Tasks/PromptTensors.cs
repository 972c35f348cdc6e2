using static TorchSharp.torch;

namespace LinAttn.Tasks;

/// <summary>A <see cref="PromptBatch"/> as tensors: tokens [B, N + 1, d + 1], targets [B] and, for padded batches, a
/// boolean context mask [B, N] (true for valid context rows).</summary>
public sealed class PromptTensors : IDisposable
{
    internal PromptTensors(Tensor tokens, Tensor targets, Tensor? contextMask)
    {
        Tokens = tokens;
        Targets = targets;
        ContextMask = contextMask;
    }

    /// <summary>Z₀, [B, N + 1, d + 1].</summary>
    public Tensor Tokens { get; }

    /// <summary>y_q, [B].</summary>
    public Tensor Targets { get; }

    /// <summary>Valid context rows, bool [B, N]; null when every prompt uses all N.</summary>
    public Tensor? ContextMask { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Tokens.Dispose();
        Targets.Dispose();
        ContextMask?.Dispose();
    }
}
