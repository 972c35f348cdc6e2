namespace LinAttn.Diagnostics;

/// <summary>
/// Gradients of the loss at fixed parameters θ on numbered minibatches: minibatch i is a fresh draw of B prompts,
/// independent of every other index, and the same every time it is asked for. The gradient-noise diagnostic asks
/// for many of them, so a fast engine can serve them by implementing this interface (and may override
/// <see cref="Gradients"/> to compute several at once).
/// </summary>
public interface IMinibatchGradientSource
{
    /// <summary>Number of parameters P (the length of each gradient).</summary>
    int ParameterCount { get; }

    /// <summary>Prompts per minibatch, B.</summary>
    int BatchSize { get; }

    /// <summary>Writes ∇f(θ) on minibatch <paramref name="index"/> (the mean loss over its B prompts) into
    /// <paramref name="gradient"/> (length P).</summary>
    void Gradient(long index, Span<double> gradient);

    /// <summary>Writes the gradients of minibatches first .. first + count − 1, one after the other (count·P values).</summary>
    void Gradients(long first, int count, Span<double> gradients)
    {
        int p = ParameterCount;
        for (int i = 0; i < count; i++) Gradient(first + i, gradients.Slice(i * p, p));
    }
}
