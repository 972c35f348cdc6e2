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
/// ascending from 0 (or from C's value), so the blocking never changes a result.
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
        int r = 0;
        for (; r + 2 <= rows; r += 2)
        {
            int col = 0;
            for (; col + 4 <= columns; col += 4)
                Block2x4(inner, ref Unsafe.Add(ref ra, r * a.Row), a.Row, a.Column, ref Unsafe.Add(ref rb, col * b.Column), b.Row, b.Column,
                    ref Unsafe.Add(ref rc, r * cRow + col), cRow, accumulate);
            for (; col < columns; col++)
                Block2x1(inner, ref Unsafe.Add(ref ra, r * a.Row), a.Row, a.Column, ref Unsafe.Add(ref rb, col * b.Column), b.Row,
                    ref Unsafe.Add(ref rc, r * cRow + col), cRow, accumulate);
        }
        for (; r < rows; r++)
        {
            int col = 0;
            for (; col + 4 <= columns; col += 4)
                Block1x4(inner, ref Unsafe.Add(ref ra, r * a.Row), a.Column, ref Unsafe.Add(ref rb, col * b.Column), b.Row, b.Column,
                    ref Unsafe.Add(ref rc, r * cRow + col), accumulate);
            for (; col < columns; col++)
            {
                ref TVec ap = ref Unsafe.Add(ref ra, r * a.Row);
                ref TVec bp = ref Unsafe.Add(ref rb, col * b.Column);
                ref TVec cp = ref Unsafe.Add(ref rc, r * cRow + col);
                TVec x = accumulate ? cp : TOps.Zero;
                for (int m = 0; m < inner; m++)
                {
                    x = TOps.MulAdd(ap, bp, x);
                    ap = ref Unsafe.Add(ref ap, a.Column);
                    bp = ref Unsafe.Add(ref bp, b.Row);
                }
                cp = x;
            }
        }
    }

    private static void Check(int length, int lastIndex, string operand)
    {
        if (lastIndex >= length)
            throw new ArgumentOutOfRangeException(operand, $"the product reads element {lastIndex} of {operand}, which has {length}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block2x4(int inner, ref TVec a0, int aRow, int aColumn, ref TVec b0, int bRow, int bColumn, ref TVec c0, int cRow, bool accumulate)
    {
        ref TVec c1 = ref Unsafe.Add(ref c0, cRow);
        TVec x0 = Start(ref c0, 0, accumulate), x1 = Start(ref c0, 1, accumulate), x2 = Start(ref c0, 2, accumulate), x3 = Start(ref c0, 3, accumulate);
        TVec y0 = Start(ref c1, 0, accumulate), y1 = Start(ref c1, 1, accumulate), y2 = Start(ref c1, 2, accumulate), y3 = Start(ref c1, 3, accumulate);
        ref TVec a1 = ref Unsafe.Add(ref a0, aRow);
        int b2 = 2 * bColumn, b3 = 3 * bColumn;
        for (int m = 0; m < inner; m++)
        {
            TVec p = a0, q = a1;
            TVec v0 = b0, v1 = Unsafe.Add(ref b0, bColumn), v2 = Unsafe.Add(ref b0, b2), v3 = Unsafe.Add(ref b0, b3);
            x0 = TOps.MulAdd(p, v0, x0); y0 = TOps.MulAdd(q, v0, y0);
            x1 = TOps.MulAdd(p, v1, x1); y1 = TOps.MulAdd(q, v1, y1);
            x2 = TOps.MulAdd(p, v2, x2); y2 = TOps.MulAdd(q, v2, y2);
            x3 = TOps.MulAdd(p, v3, x3); y3 = TOps.MulAdd(q, v3, y3);
            a0 = ref Unsafe.Add(ref a0, aColumn);
            a1 = ref Unsafe.Add(ref a1, aColumn);
            b0 = ref Unsafe.Add(ref b0, bRow);
        }
        c0 = x0; Unsafe.Add(ref c0, 1) = x1; Unsafe.Add(ref c0, 2) = x2; Unsafe.Add(ref c0, 3) = x3;
        c1 = y0; Unsafe.Add(ref c1, 1) = y1; Unsafe.Add(ref c1, 2) = y2; Unsafe.Add(ref c1, 3) = y3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1x4(int inner, ref TVec a0, int aColumn, ref TVec b0, int bRow, int bColumn, ref TVec c0, bool accumulate)
    {
        TVec x0 = Start(ref c0, 0, accumulate), x1 = Start(ref c0, 1, accumulate), x2 = Start(ref c0, 2, accumulate), x3 = Start(ref c0, 3, accumulate);
        int b2 = 2 * bColumn, b3 = 3 * bColumn;
        for (int m = 0; m < inner; m++)
        {
            TVec p = a0;
            x0 = TOps.MulAdd(p, b0, x0);
            x1 = TOps.MulAdd(p, Unsafe.Add(ref b0, bColumn), x1);
            x2 = TOps.MulAdd(p, Unsafe.Add(ref b0, b2), x2);
            x3 = TOps.MulAdd(p, Unsafe.Add(ref b0, b3), x3);
            a0 = ref Unsafe.Add(ref a0, aColumn);
            b0 = ref Unsafe.Add(ref b0, bRow);
        }
        c0 = x0; Unsafe.Add(ref c0, 1) = x1; Unsafe.Add(ref c0, 2) = x2; Unsafe.Add(ref c0, 3) = x3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block2x1(int inner, ref TVec a0, int aRow, int aColumn, ref TVec b0, int bRow, ref TVec c0, int cRow, bool accumulate)
    {
        ref TVec c1 = ref Unsafe.Add(ref c0, cRow);
        TVec x = Start(ref c0, 0, accumulate), y = Start(ref c1, 0, accumulate);
        ref TVec a1 = ref Unsafe.Add(ref a0, aRow);
        for (int m = 0; m < inner; m++)
        {
            TVec v = b0;
            x = TOps.MulAdd(a0, v, x);
            y = TOps.MulAdd(a1, v, y);
            a0 = ref Unsafe.Add(ref a0, aColumn);
            a1 = ref Unsafe.Add(ref a1, aColumn);
            b0 = ref Unsafe.Add(ref b0, bRow);
        }
        c0 = x;
        c1 = y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Start(ref TVec row, int j, bool accumulate) => accumulate ? Unsafe.Add(ref row, j) : TOps.Zero;
}
