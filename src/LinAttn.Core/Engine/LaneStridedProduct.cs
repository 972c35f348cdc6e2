using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinAttn.Engine.Simd;

namespace LinAttn.Engine;

/// <summary>One operand of <see cref="LaneStridedProduct{TOps, TVec, T}.Multiply"/>: element (r, m) is at
/// <c>Data[r·Row + m·Column]</c>, so a transpose is only a swap of the two strides.</summary>
internal readonly ref struct StridedOperand<TVec>(ReadOnlySpan<TVec> data, int row, int column)
    where TVec : unmanaged
{
    public readonly ReadOnlySpan<TVec> Data = data;
    public readonly int Row = row;
    public readonly int Column = column;

    /// <summary>Row-major with <paramref name="width"/> entries per row.</summary>
    public static StridedOperand<TVec> RowMajor(ReadOnlySpan<TVec> data, int width) => new(data, width, 1);

    /// <summary>The transpose of a row-major matrix with <paramref name="width"/> entries per row.</summary>
    public static StridedOperand<TVec> Transposed(ReadOnlySpan<TVec> data, int width) => new(data, 1, width);
}

/// <summary>
/// Rectangular products of small matrices whose entries are vectors of lanes (one prompt per lane), with operands
/// addressed by strides: the token-level kernel's n×k, n×n and k×k products. Register-blocked: 2 rows × 4 columns of C
/// are 8 independent FMA chains (per m, 2 loads of A and 4 of B feed 8 FMAs); each entry is summed by FMAs over m
/// ascending from 0 (or from C's value, or from a bias), so the blocking never changes a result.
/// </summary>
internal static class LaneStridedProduct<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    /// <summary>C(r, c) (+)= Σ_{m &lt; inner} A(r, m) B(m, c) for r &lt; rows, c &lt; columns; C is row-major with
    /// <paramref name="cRow"/> entries per row.</summary>
    public static void Multiply(int rows, int columns, int inner, StridedOperand<TVec> a, StridedOperand<TVec> b, Span<TVec> c, int cRow, bool accumulate)
    {
        if (accumulate) Product<AddTo, StoreAsIs>(rows, columns, inner, a, b, c, cRow, c, cRow);
        else Product<Overwrite, StoreAsIs>(rows, columns, inner, a, b, Span<TVec>.Empty, 0, c, cRow);
    }

    /// <summary>
    /// C(r, c) = f(bias[c] + Σ_{m &lt; inner} A(r, m) B(m, c)) with f = the ReLU (ISimdOps.Relu) when <paramref name="relu"/>, else the
    /// identity: the same values as copying the bias into every row of C, <see cref="Multiply"/> with accumulate and a
    /// separate ReLU pass, without those passes over C.
    /// </summary>
    public static void MultiplyFromBias(int rows, int columns, int inner, StridedOperand<TVec> a, StridedOperand<TVec> b, ReadOnlySpan<TVec> bias,
        Span<TVec> c, int cRow, bool relu)
    {
        Check(bias.Length, columns - 1, nameof(bias));
        if (relu) Product<AddTo, ReluOnStore>(rows, columns, inner, a, b, bias, 0, c, cRow);
        else Product<AddTo, StoreAsIs>(rows, columns, inner, a, b, bias, 0, c, cRow);
    }

    // Each entry of C starts from start[r·startRow + c] (TStart.Accumulate) or from zero and is summed by FMAs over m
    // ascending. The start and the ReLU are type parameters, so the blocks carry no per-entry branch on them.
    private static void Product<TStart, TStore>(int rows, int columns, int inner, StridedOperand<TVec> a, StridedOperand<TVec> b, ReadOnlySpan<TVec> start,
        int startRow, Span<TVec> c, int cRow)
        where TStart : struct, IStart
        where TStore : struct, IStoreActivation
    {
        if (rows <= 0 || columns <= 0) return;
        if (inner > 0)
        {
            Check(a.Data.Length, (rows - 1) * a.Row + (inner - 1) * a.Column, nameof(a));
            Check(b.Data.Length, (inner - 1) * b.Row + (columns - 1) * b.Column, nameof(b));
        }
        Check(c.Length, (rows - 1) * cRow + columns - 1, nameof(c));
        ref TVec ra = ref MemoryMarshal.GetReference(a.Data);
        ref TVec rb = ref MemoryMarshal.GetReference(b.Data);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        ref TVec rs = ref MemoryMarshal.GetReference(start);
        int r = 0;
        for (; r + 2 <= rows; r += 2)
        {
            int col = 0;
            for (; col + 4 <= columns; col += 4)
                Block2x4<TStart, TStore>(inner, ref Unsafe.Add(ref ra, r * a.Row), a.Row, a.Column, ref Unsafe.Add(ref rb, col * b.Column), b.Row, b.Column,
                    ref Unsafe.Add(ref rs, r * startRow + col), startRow, ref Unsafe.Add(ref rc, r * cRow + col), cRow);
            for (; col < columns; col++)
                Block2x1<TStart, TStore>(inner, ref Unsafe.Add(ref ra, r * a.Row), a.Row, a.Column, ref Unsafe.Add(ref rb, col * b.Column), b.Row,
                    ref Unsafe.Add(ref rs, r * startRow + col), startRow, ref Unsafe.Add(ref rc, r * cRow + col), cRow);
        }
        for (; r < rows; r++)
        {
            int col = 0;
            for (; col + 4 <= columns; col += 4)
                Block1x4<TStart, TStore>(inner, ref Unsafe.Add(ref ra, r * a.Row), a.Column, ref Unsafe.Add(ref rb, col * b.Column), b.Row, b.Column,
                    ref Unsafe.Add(ref rs, r * startRow + col), ref Unsafe.Add(ref rc, r * cRow + col));
            for (; col < columns; col++)
            {
                ref TVec ap = ref Unsafe.Add(ref ra, r * a.Row);
                ref TVec bp = ref Unsafe.Add(ref rb, col * b.Column);
                TVec x = Start<TStart>(ref Unsafe.Add(ref rs, r * startRow + col), 0);
                for (int m = 0; m < inner; m++)
                {
                    x = TOps.MulAdd(ap, bp, x);
                    ap = ref Unsafe.Add(ref ap, a.Column);
                    bp = ref Unsafe.Add(ref bp, b.Row);
                }
                Unsafe.Add(ref rc, r * cRow + col) = Finish<TStore>(x);
            }
        }
    }

    private static void Check(int length, int lastIndex, string operand)
    {
        if (lastIndex >= length)
            throw new ArgumentOutOfRangeException(operand, $"the product reads element {lastIndex} of {operand}, which has {length}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block2x4<TStart, TStore>(int inner, ref TVec a0, int aRow, int aColumn, ref TVec b0, int bRow, int bColumn, ref TVec s0, int sRow,
        ref TVec c0, int cRow)
        where TStart : struct, IStart
        where TStore : struct, IStoreActivation
    {
        ref TVec c1 = ref Unsafe.Add(ref c0, cRow);
        ref TVec s1 = ref Unsafe.Add(ref s0, sRow);
        TVec x0 = Start<TStart>(ref s0, 0), x1 = Start<TStart>(ref s0, 1), x2 = Start<TStart>(ref s0, 2), x3 = Start<TStart>(ref s0, 3);
        TVec y0 = Start<TStart>(ref s1, 0), y1 = Start<TStart>(ref s1, 1), y2 = Start<TStart>(ref s1, 2), y3 = Start<TStart>(ref s1, 3);
        // Byte offsets computed once: as element counts the JIT re-widened and re-scaled them at every load.
        nint size = Unsafe.SizeOf<TVec>();
        nint a1 = aRow * size, b1 = bColumn * size, b2 = 2 * b1, b3 = 3 * b1, aStep = aColumn * size, bStep = bRow * size;
        for (int m = 0; m < inner; m++)
        {
            TVec p = a0, q = Unsafe.AddByteOffset(ref a0, a1);
            TVec v0 = b0, v1 = Unsafe.AddByteOffset(ref b0, b1), v2 = Unsafe.AddByteOffset(ref b0, b2), v3 = Unsafe.AddByteOffset(ref b0, b3);
            x0 = TOps.MulAdd(p, v0, x0); y0 = TOps.MulAdd(q, v0, y0);
            x1 = TOps.MulAdd(p, v1, x1); y1 = TOps.MulAdd(q, v1, y1);
            x2 = TOps.MulAdd(p, v2, x2); y2 = TOps.MulAdd(q, v2, y2);
            x3 = TOps.MulAdd(p, v3, x3); y3 = TOps.MulAdd(q, v3, y3);
            a0 = ref Unsafe.AddByteOffset(ref a0, aStep);
            b0 = ref Unsafe.AddByteOffset(ref b0, bStep);
        }
        c0 = Finish<TStore>(x0); Unsafe.Add(ref c0, 1) = Finish<TStore>(x1); Unsafe.Add(ref c0, 2) = Finish<TStore>(x2); Unsafe.Add(ref c0, 3) = Finish<TStore>(x3);
        c1 = Finish<TStore>(y0); Unsafe.Add(ref c1, 1) = Finish<TStore>(y1); Unsafe.Add(ref c1, 2) = Finish<TStore>(y2); Unsafe.Add(ref c1, 3) = Finish<TStore>(y3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1x4<TStart, TStore>(int inner, ref TVec a0, int aColumn, ref TVec b0, int bRow, int bColumn, ref TVec s0, ref TVec c0)
        where TStart : struct, IStart
        where TStore : struct, IStoreActivation
    {
        TVec x0 = Start<TStart>(ref s0, 0), x1 = Start<TStart>(ref s0, 1), x2 = Start<TStart>(ref s0, 2), x3 = Start<TStart>(ref s0, 3);
        nint size = Unsafe.SizeOf<TVec>();
        nint b1 = bColumn * size, b2 = 2 * b1, b3 = 3 * b1, aStep = aColumn * size, bStep = bRow * size;
        for (int m = 0; m < inner; m++)
        {
            TVec p = a0;
            x0 = TOps.MulAdd(p, b0, x0);
            x1 = TOps.MulAdd(p, Unsafe.AddByteOffset(ref b0, b1), x1);
            x2 = TOps.MulAdd(p, Unsafe.AddByteOffset(ref b0, b2), x2);
            x3 = TOps.MulAdd(p, Unsafe.AddByteOffset(ref b0, b3), x3);
            a0 = ref Unsafe.AddByteOffset(ref a0, aStep);
            b0 = ref Unsafe.AddByteOffset(ref b0, bStep);
        }
        c0 = Finish<TStore>(x0); Unsafe.Add(ref c0, 1) = Finish<TStore>(x1); Unsafe.Add(ref c0, 2) = Finish<TStore>(x2); Unsafe.Add(ref c0, 3) = Finish<TStore>(x3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block2x1<TStart, TStore>(int inner, ref TVec a0, int aRow, int aColumn, ref TVec b0, int bRow, ref TVec s0, int sRow,
        ref TVec c0, int cRow)
        where TStart : struct, IStart
        where TStore : struct, IStoreActivation
    {
        ref TVec c1 = ref Unsafe.Add(ref c0, cRow);
        TVec x = Start<TStart>(ref s0, 0), y = Start<TStart>(ref Unsafe.Add(ref s0, sRow), 0);
        nint size = Unsafe.SizeOf<TVec>();
        nint a1 = aRow * size, aStep = aColumn * size, bStep = bRow * size;
        for (int m = 0; m < inner; m++)
        {
            TVec v = b0;
            x = TOps.MulAdd(a0, v, x);
            y = TOps.MulAdd(Unsafe.AddByteOffset(ref a0, a1), v, y);
            a0 = ref Unsafe.AddByteOffset(ref a0, aStep);
            b0 = ref Unsafe.AddByteOffset(ref b0, bStep);
        }
        c0 = Finish<TStore>(x);
        c1 = Finish<TStore>(y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Start<TStart>(ref TVec row, int j) where TStart : struct, IStart => TStart.Accumulate ? Unsafe.Add(ref row, j) : TOps.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Finish<TStore>(TVec x) where TStore : struct, IStoreActivation => TStore.Relu ? TOps.Relu(x) : x;
}

/// <summary>What <see cref="LaneStridedProduct{TOps, TVec, T}"/> applies to each entry as it stores it.</summary>
internal interface IStoreActivation
{
    static abstract bool Relu { get; }
}

internal readonly struct StoreAsIs : IStoreActivation
{
    public static bool Relu => false;
}

internal readonly struct ReluOnStore : IStoreActivation
{
    public static bool Relu => true;
}
