using System.Runtime.CompilerServices;

namespace LinAttn.Engine;

/// <summary>
/// A fixed-length buffer of lane vectors that starts on a 64-byte boundary. A <c>Vector512</c> in an ordinary array
/// starts 16 bytes past a cache line, so every load and store of the kernels' state would straddle two lines; aligned,
/// the register-blocked products run about 30% faster on Zen 4 (measured with a standalone 5×5 product loop).
/// </summary>
/// <remarks>
/// Carved out of a byte array on the pinned object heap (it never moves, so the address stays valid while this
/// struct keeps the array alive); freed by the GC with its owner like any array.
/// </remarks>
internal readonly unsafe struct LaneBuffer<TVec>
    where TVec : unmanaged
{
    private const int Alignment = 64;
    private readonly byte[] _owner;
    private readonly TVec* _start;

    private LaneBuffer(int length)
    {
        _owner = GC.AllocateArray<byte>(length * sizeof(TVec) + Alignment, pinned: true);
        byte* first = (byte*)Unsafe.AsPointer(ref _owner[0]);
        _start = (TVec*)(first + (Alignment - (int)((nuint)first % Alignment)) % Alignment);
        Length = length;
    }

    /// <summary>A zeroed buffer of <paramref name="length"/> vectors.</summary>
    public static LaneBuffer<TVec> Allocate(int length) => new(length);

    public int Length { get; }

    public ref TVec this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref AsSpan()[index];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<TVec> AsSpan() => new(_start, Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<TVec> AsSpan(int start, int length) => AsSpan().Slice(start, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear() => AsSpan().Clear();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator Span<TVec>(LaneBuffer<TVec> buffer) => buffer.AsSpan();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator ReadOnlySpan<TVec>(LaneBuffer<TVec> buffer) => buffer.AsSpan();
}
