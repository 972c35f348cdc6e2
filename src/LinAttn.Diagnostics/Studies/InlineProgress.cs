namespace LinAttn.Diagnostics.Studies;

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread.</summary>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
