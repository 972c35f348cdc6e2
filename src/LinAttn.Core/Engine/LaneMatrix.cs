using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinAttn.Engine.Simd;

namespace LinAttn.Engine;

/// <summary>
/// Small dense k×k matrix products where every entry is a vector of lanes (one prompt per lane), row-major.
/// Written for the JIT to inline into the kernels (no bounds checks in the loops).
/// </summary>
internal static class LaneMatrix<TOps, TVec, T>
    where TOps : struct, ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    // C = A B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
        => Product<AsStored, AsStored, Overwrite>(k, a, b, c);

    // C += A B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
        => Product<AsStored, AsStored, AddTo>(k, a, b, c);

    // C = A Bᵀ
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposed(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
        => Product<AsStored, Transposed, Overwrite>(k, a, b, c);

    // C += A Bᵀ
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposedAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
        => Product<AsStored, Transposed, AddTo>(k, a, b, c);

    // C = A Bᵀ where the result is known to be symmetric: the upper triangle is mirrored onto the lower one, so the
    // result is exactly symmetric. With 4×4 tiles (k ≥ 8) the tiles wholly below the diagonal are not computed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposedSymmetric(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        if (k >= 8) ProductTiled<AsStored, Transposed, Overwrite>(k, a, b, c, upperTiles: true);
        else Product<AsStored, Transposed, Overwrite>(k, a, b, c);
        for (int i = 1; i < k; i++)
            for (int j = 0; j < i; j++) c[i * k + j] = c[j * k + i];
    }

    // C = Aᵀ B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposeLeft(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
        => Product<Transposed, AsStored, Overwrite>(k, a, b, c);

    // C += Aᵀ B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposeLeftAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
        => Product<Transposed, AsStored, AddTo>(k, a, b, c);

    /// <summary>
    /// C[i, j] (+)= Σ_m A(i, m) B(m, j), each entry summed by FMAs in ascending m from 0 (or from C's entry), so every
    /// path below gives bit-identical results. For k = 5 and 6 (d = 5: the Restricted kernel's d×d and the general
    /// kernel's (d+1)×(d+1) matrices) two rows of C are held in registers while B's row m is read once for both: 10–12
    /// independent FMA chains instead of 2 hide the FMA latency and halve the loads (about 2× the throughput of the
    /// general loop on Zen 4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product<TA, TB, TStart>(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
        where TA : struct, ILayout
        where TB : struct, ILayout
        where TStart : struct, IStart
    {
        if (k == 5) ProductBlocked<TA, TB, TStart, Five>(a, b, c);
        else if (k == 6) ProductBlocked<TA, TB, TStart, Six>(a, b, c);
        else if (k >= 8) ProductTiled<TA, TB, TStart>(k, a, b, c);
        else ProductGeneral<TA, TB, TStart>(k, a, b, c, 0);
    }

    // Rows firstRow … k − 1 of C, two columns at a time.
    private static void ProductGeneral<TA, TB, TStart>(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c, int firstRow)
        where TA : struct, ILayout
        where TB : struct, ILayout
        where TStart : struct, IStart
    {
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = firstRow; i < k; i++)
        {
            int j = 0;
            for (; j + 1 < k; j += 2)
            {
                TVec acc0 = TStart.Accumulate ? Unsafe.Add(ref rc, i * k + j) : TOps.Zero;
                TVec acc1 = TStart.Accumulate ? Unsafe.Add(ref rc, i * k + j + 1) : TOps.Zero;
                for (int m = 0; m < k; m++)
                {
                    TVec shared = Unsafe.Add(ref ra, TA.Index(i, m, k));
                    acc0 = TOps.MulAdd(shared, Unsafe.Add(ref rb, TB.Index(m, j, k)), acc0);
                    acc1 = TOps.MulAdd(shared, Unsafe.Add(ref rb, TB.Index(m, j + 1, k)), acc1);
                }
                Unsafe.Add(ref rc, i * k + j) = acc0;
                Unsafe.Add(ref rc, i * k + j + 1) = acc1;
            }
            for (; j < k; j++)
            {
                TVec acc = TStart.Accumulate ? Unsafe.Add(ref rc, i * k + j) : TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i, m, k)), Unsafe.Add(ref rb, TB.Index(m, j, k)), acc);
                Unsafe.Add(ref rc, i * k + j) = acc;
            }
        }
    }

    // For k ≥ 8 (fig5's d = 20): 4×4 tiles of C in registers (16 independent FMA chains; per m, 4 loads of A and 4 of
    // B feed 16 FMAs), the columns left over 4 rows at a time, the rows left over by the general loop. With upperTiles,
    // the tiles wholly below the diagonal are skipped (their entries are left as they were).
    private static void ProductTiled<TA, TB, TStart>(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c, bool upperTiles = false)
        where TA : struct, ILayout
        where TB : struct, ILayout
        where TStart : struct, IStart
    {
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        int tiled = k - k % 4;
        for (int i = 0; i < tiled; i += 4)
        {
            ref TVec c0 = ref Unsafe.Add(ref rc, i * k);
            ref TVec c1 = ref Unsafe.Add(ref c0, k);
            ref TVec c2 = ref Unsafe.Add(ref c1, k);
            ref TVec c3 = ref Unsafe.Add(ref c2, k);
            int j = upperTiles ? i : 0;
            for (; j < tiled; j += 4)
            {
                TVec c00 = Start(ref c0, j), c01 = Start(ref c0, j + 1), c02 = Start(ref c0, j + 2), c03 = Start(ref c0, j + 3);
                TVec c10 = Start(ref c1, j), c11 = Start(ref c1, j + 1), c12 = Start(ref c1, j + 2), c13 = Start(ref c1, j + 3);
                TVec c20 = Start(ref c2, j), c21 = Start(ref c2, j + 1), c22 = Start(ref c2, j + 2), c23 = Start(ref c2, j + 3);
                TVec c30 = Start(ref c3, j), c31 = Start(ref c3, j + 1), c32 = Start(ref c3, j + 2), c33 = Start(ref c3, j + 3);
                for (int m = 0; m < k; m++)
                {
                    TVec a0 = Unsafe.Add(ref ra, TA.Index(i, m, k)), a1 = Unsafe.Add(ref ra, TA.Index(i + 1, m, k));
                    TVec a2 = Unsafe.Add(ref ra, TA.Index(i + 2, m, k)), a3 = Unsafe.Add(ref ra, TA.Index(i + 3, m, k));
                    TVec b0 = Unsafe.Add(ref rb, TB.Index(m, j, k)), b1 = Unsafe.Add(ref rb, TB.Index(m, j + 1, k));
                    TVec b2 = Unsafe.Add(ref rb, TB.Index(m, j + 2, k)), b3 = Unsafe.Add(ref rb, TB.Index(m, j + 3, k));
                    c00 = TOps.MulAdd(a0, b0, c00); c01 = TOps.MulAdd(a0, b1, c01); c02 = TOps.MulAdd(a0, b2, c02); c03 = TOps.MulAdd(a0, b3, c03);
                    c10 = TOps.MulAdd(a1, b0, c10); c11 = TOps.MulAdd(a1, b1, c11); c12 = TOps.MulAdd(a1, b2, c12); c13 = TOps.MulAdd(a1, b3, c13);
                    c20 = TOps.MulAdd(a2, b0, c20); c21 = TOps.MulAdd(a2, b1, c21); c22 = TOps.MulAdd(a2, b2, c22); c23 = TOps.MulAdd(a2, b3, c23);
                    c30 = TOps.MulAdd(a3, b0, c30); c31 = TOps.MulAdd(a3, b1, c31); c32 = TOps.MulAdd(a3, b2, c32); c33 = TOps.MulAdd(a3, b3, c33);
                }
                Unsafe.Add(ref c0, j) = c00; Unsafe.Add(ref c0, j + 1) = c01; Unsafe.Add(ref c0, j + 2) = c02; Unsafe.Add(ref c0, j + 3) = c03;
                Unsafe.Add(ref c1, j) = c10; Unsafe.Add(ref c1, j + 1) = c11; Unsafe.Add(ref c1, j + 2) = c12; Unsafe.Add(ref c1, j + 3) = c13;
                Unsafe.Add(ref c2, j) = c20; Unsafe.Add(ref c2, j + 1) = c21; Unsafe.Add(ref c2, j + 2) = c22; Unsafe.Add(ref c2, j + 3) = c23;
                Unsafe.Add(ref c3, j) = c30; Unsafe.Add(ref c3, j + 1) = c31; Unsafe.Add(ref c3, j + 2) = c32; Unsafe.Add(ref c3, j + 3) = c33;
            }
            for (; j < k; j++)
            {
                TVec x0 = Start(ref c0, j), x1 = Start(ref c1, j), x2 = Start(ref c2, j), x3 = Start(ref c3, j);
                for (int m = 0; m < k; m++)
                {
                    TVec bm = Unsafe.Add(ref rb, TB.Index(m, j, k));
                    x0 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i, m, k)), bm, x0);
                    x1 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i + 1, m, k)), bm, x1);
                    x2 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i + 2, m, k)), bm, x2);
                    x3 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i + 3, m, k)), bm, x3);
                }
                Unsafe.Add(ref c0, j) = x0; Unsafe.Add(ref c1, j) = x1; Unsafe.Add(ref c2, j) = x2; Unsafe.Add(ref c3, j) = x3;
            }
        }
        if (tiled < k) ProductGeneral<TA, TB, TStart>(k, a, b, c, tiled);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TVec Start(ref TVec row, int j) => TStart.Accumulate ? Unsafe.Add(ref row, j) : TOps.Zero;
    }

    // Two rows of C at a time (one for the last row when K is odd); K = 5 or 6 columns held in named registers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ProductBlocked<TA, TB, TStart, TK>(ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
        where TA : struct, ILayout
        where TB : struct, ILayout
        where TStart : struct, IStart
        where TK : struct, IConstant
    {
        int k = TK.Value;
        bool six = k == 6;
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        int i = 0;
        for (; i + 1 < k; i += 2)
        {
            ref TVec c0 = ref Unsafe.Add(ref rc, i * k);
            ref TVec c1 = ref Unsafe.Add(ref rc, (i + 1) * k);
            TVec x0 = Start(ref c0, 0), x1 = Start(ref c0, 1), x2 = Start(ref c0, 2), x3 = Start(ref c0, 3), x4 = Start(ref c0, 4);
            TVec y0 = Start(ref c1, 0), y1 = Start(ref c1, 1), y2 = Start(ref c1, 2), y3 = Start(ref c1, 3), y4 = Start(ref c1, 4);
            TVec x5 = six ? Start(ref c0, 5) : TOps.Zero, y5 = six ? Start(ref c1, 5) : TOps.Zero;
            for (int m = 0; m < k; m++)
            {
                TVec a0 = Unsafe.Add(ref ra, TA.Index(i, m, k)), a1 = Unsafe.Add(ref ra, TA.Index(i + 1, m, k));
                TVec b0 = Unsafe.Add(ref rb, TB.Index(m, 0, k));
                x0 = TOps.MulAdd(a0, b0, x0);
                y0 = TOps.MulAdd(a1, b0, y0);
                TVec b1 = Unsafe.Add(ref rb, TB.Index(m, 1, k));
                x1 = TOps.MulAdd(a0, b1, x1);
                y1 = TOps.MulAdd(a1, b1, y1);
                TVec b2 = Unsafe.Add(ref rb, TB.Index(m, 2, k));
                x2 = TOps.MulAdd(a0, b2, x2);
                y2 = TOps.MulAdd(a1, b2, y2);
                TVec b3 = Unsafe.Add(ref rb, TB.Index(m, 3, k));
                x3 = TOps.MulAdd(a0, b3, x3);
                y3 = TOps.MulAdd(a1, b3, y3);
                TVec b4 = Unsafe.Add(ref rb, TB.Index(m, 4, k));
                x4 = TOps.MulAdd(a0, b4, x4);
                y4 = TOps.MulAdd(a1, b4, y4);
                if (six)
                {
                    TVec b5 = Unsafe.Add(ref rb, TB.Index(m, 5, k));
                    x5 = TOps.MulAdd(a0, b5, x5);
                    y5 = TOps.MulAdd(a1, b5, y5);
                }
            }
            c0 = x0; Unsafe.Add(ref c0, 1) = x1; Unsafe.Add(ref c0, 2) = x2; Unsafe.Add(ref c0, 3) = x3; Unsafe.Add(ref c0, 4) = x4;
            c1 = y0; Unsafe.Add(ref c1, 1) = y1; Unsafe.Add(ref c1, 2) = y2; Unsafe.Add(ref c1, 3) = y3; Unsafe.Add(ref c1, 4) = y4;
            if (six)
            {
                Unsafe.Add(ref c0, 5) = x5;
                Unsafe.Add(ref c1, 5) = y5;
            }
        }
        if (i < k)   // the last row when K is odd, i.e. K = 5: five columns
        {
            ref TVec c0 = ref Unsafe.Add(ref rc, i * k);
            TVec x0 = Start(ref c0, 0), x1 = Start(ref c0, 1), x2 = Start(ref c0, 2), x3 = Start(ref c0, 3), x4 = Start(ref c0, 4);
            for (int m = 0; m < k; m++)
            {
                TVec a0 = Unsafe.Add(ref ra, TA.Index(i, m, k));
                x0 = TOps.MulAdd(a0, Unsafe.Add(ref rb, TB.Index(m, 0, k)), x0);
                x1 = TOps.MulAdd(a0, Unsafe.Add(ref rb, TB.Index(m, 1, k)), x1);
                x2 = TOps.MulAdd(a0, Unsafe.Add(ref rb, TB.Index(m, 2, k)), x2);
                x3 = TOps.MulAdd(a0, Unsafe.Add(ref rb, TB.Index(m, 3, k)), x3);
                x4 = TOps.MulAdd(a0, Unsafe.Add(ref rb, TB.Index(m, 4, k)), x4);
            }
            c0 = x0; Unsafe.Add(ref c0, 1) = x1; Unsafe.Add(ref c0, 2) = x2; Unsafe.Add(ref c0, 3) = x3; Unsafe.Add(ref c0, 4) = x4;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TVec Start(ref TVec row, int j) => TStart.Accumulate ? Unsafe.Add(ref row, j) : TOps.Zero;
    }

    // y = A x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyVector(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
        => MatrixVector<AsStored, Overwrite>(k, a, x, y);

    // y = Aᵀ x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposedVector(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
        => MatrixVector<Transposed, Overwrite>(k, a, x, y);

    // y += A x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyVectorAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
        => MatrixVector<AsStored, AddTo>(k, a, x, y);

    // y += Aᵀ x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposedVectorAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
        => MatrixVector<Transposed, AddTo>(k, a, x, y);

    /// <summary>
    /// y[i] (+)= Σ_j A(i, j) x[j], each entry summed by FMAs in ascending j. For k = 5 and 6 all entries of y are
    /// accumulated at once in registers (independent chains), otherwise four at a time; bit-identical results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MatrixVector<TA, TStart>(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
        where TA : struct, ILayout
        where TStart : struct, IStart
    {
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rx = ref MemoryMarshal.GetReference(x);
        ref TVec ry = ref MemoryMarshal.GetReference(y);
        if (k == 5 || k == 6)
        {
            bool six = k == 6;
            TVec y0 = Start(ref ry, 0), y1 = Start(ref ry, 1), y2 = Start(ref ry, 2), y3 = Start(ref ry, 3), y4 = Start(ref ry, 4);
            TVec y5 = six ? Start(ref ry, 5) : TOps.Zero;
            for (int j = 0; j < k; j++)
            {
                TVec xj = Unsafe.Add(ref rx, j);
                y0 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(0, j, k)), xj, y0);
                y1 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(1, j, k)), xj, y1);
                y2 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(2, j, k)), xj, y2);
                y3 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(3, j, k)), xj, y3);
                y4 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(4, j, k)), xj, y4);
                if (six) y5 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(5, j, k)), xj, y5);
            }
            ry = y0; Unsafe.Add(ref ry, 1) = y1; Unsafe.Add(ref ry, 2) = y2; Unsafe.Add(ref ry, 3) = y3; Unsafe.Add(ref ry, 4) = y4;
            if (six) Unsafe.Add(ref ry, 5) = y5;
            return;
        }
        MatrixVectorGeneral<TA, TStart>(k, ref ra, ref rx, ref ry);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TVec Start(ref TVec vector, int i) => TStart.Accumulate ? Unsafe.Add(ref vector, i) : TOps.Zero;
    }

    // Any k, four rows at a time (kept out of line: MatrixVector is inlined at many sites of the kernels, and the
    // JIT's per-method inlining budget is better spent on the k = 5, 6 path).
    private static void MatrixVectorGeneral<TA, TStart>(int k, ref TVec ra, ref TVec rx, ref TVec ry)
        where TA : struct, ILayout
        where TStart : struct, IStart
    {
        int i = 0;
        for (; i + 3 < k; i += 4)   // four rows at once: independent chains
        {
            TVec y0 = Start(ref ry, i), y1 = Start(ref ry, i + 1), y2 = Start(ref ry, i + 2), y3 = Start(ref ry, i + 3);
            for (int j = 0; j < k; j++)
            {
                TVec xj = Unsafe.Add(ref rx, j);
                y0 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i, j, k)), xj, y0);
                y1 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i + 1, j, k)), xj, y1);
                y2 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i + 2, j, k)), xj, y2);
                y3 = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i + 3, j, k)), xj, y3);
            }
            Unsafe.Add(ref ry, i) = y0; Unsafe.Add(ref ry, i + 1) = y1; Unsafe.Add(ref ry, i + 2) = y2; Unsafe.Add(ref ry, i + 3) = y3;
        }
        for (; i < k; i++)
        {
            TVec acc = Start(ref ry, i);
            for (int j = 0; j < k; j++) acc = TOps.MulAdd(Unsafe.Add(ref ra, TA.Index(i, j, k)), Unsafe.Add(ref rx, j), acc);
            Unsafe.Add(ref ry, i) = acc;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TVec Start(ref TVec vector, int i) => TStart.Accumulate ? Unsafe.Add(ref vector, i) : TOps.Zero;
    }

    // C += a bᵀ (outer product)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OuterAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            TVec ai = Unsafe.Add(ref ra, i);
            for (int j = 0; j < k; j++) Unsafe.Add(ref rc, i * k + j) = TOps.MulAdd(ai, Unsafe.Add(ref rb, j), Unsafe.Add(ref rc, i * k + j));
        }
    }

    // C = a bᵀ + e fᵀ, each entry as FMA(e_i, f_j, FMA(a_i, b_j, 0)): the same values as clearing C and calling
    // OuterAccumulate twice, with one store per entry instead of a clear and two loads and stores.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OuterPair(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, ReadOnlySpan<TVec> e, ReadOnlySpan<TVec> f, Span<TVec> c)
    {
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec re = ref MemoryMarshal.GetReference(e);
        ref TVec rf = ref MemoryMarshal.GetReference(f);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            TVec ai = Unsafe.Add(ref ra, i), ei = Unsafe.Add(ref re, i);
            for (int j = 0; j < k; j++)
                Unsafe.Add(ref rc, i * k + j) = TOps.MulAdd(ei, Unsafe.Add(ref rf, j), TOps.MulAdd(ai, Unsafe.Add(ref rb, j), TOps.Zero));
        }
    }

    // Σ_i a_i b_i
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Dot(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b)
    {
        TVec acc = TOps.Zero;
        for (int i = 0; i < k; i++) acc = TOps.MulAdd(a[i], b[i], acc);
        return acc;
    }

    /// <summary>Σ over the lanes of <paramref name="v"/> in lane order, in double (read in place, no per-lane extraction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumLanes(ref TVec v)
    {
        ref T lane = ref Unsafe.As<TVec, T>(ref v);
        double sum = 0;
        for (int i = 0; i < TOps.Width; i++) sum += TOps.ToDouble(Unsafe.Add(ref lane, i));
        return sum;
    }

    /// <summary>
    /// sums[i] = <see cref="SumLanes"/>(vectors[i]) for every i: the same values, four vectors at a time, so that four
    /// chains of dependent additions run side by side instead of one (one chain is 16 latency-bound additions). The
    /// lanes are widened to double by vector conversions first (see <see cref="ISimdOps{TVec, T}.StoreDoubles"/>).
    /// </summary>
    public static void SumLanesInto(ReadOnlySpan<TVec> vectors, Span<double> sums)
    {
        if (sums.Length < vectors.Length) throw new ArgumentException("one sum per vector is needed", nameof(sums));
        int width = TOps.Width;
        Span<double> lanes = stackalloc double[4 * width];
        ref double l0 = ref lanes[0];
        ref double l1 = ref Unsafe.Add(ref l0, width), l2 = ref Unsafe.Add(ref l0, 2 * width), l3 = ref Unsafe.Add(ref l0, 3 * width);
        int i = 0;
        for (; i + 3 < vectors.Length; i += 4)
        {
            TOps.StoreDoubles(vectors[i], ref l0);
            TOps.StoreDoubles(vectors[i + 1], ref l1);
            TOps.StoreDoubles(vectors[i + 2], ref l2);
            TOps.StoreDoubles(vectors[i + 3], ref l3);
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int lane = 0; lane < width; lane++)
            {
                s0 += Unsafe.Add(ref l0, lane);
                s1 += Unsafe.Add(ref l1, lane);
                s2 += Unsafe.Add(ref l2, lane);
                s3 += Unsafe.Add(ref l3, lane);
            }
            sums[i] = s0;
            sums[i + 1] = s1;
            sums[i + 2] = s2;
            sums[i + 3] = s3;
        }
        for (; i < vectors.Length; i++) sums[i] = SumLanes(ref Unsafe.AsRef(in vectors[i]));
    }

    // x ← s·x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(Span<TVec> x, TVec s)
    {
        for (int i = 0; i < x.Length; i++) x[i] = TOps.Mul(x[i], s);
    }
}

/// <summary>How a product reads an operand: element (row, col) of a k×k row-major matrix, as stored or transposed.</summary>
internal interface ILayout
{
    static abstract int Index(int row, int column, int k);
}

internal readonly struct AsStored : ILayout
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int Index(int row, int column, int k) => row * k + column;
}

internal readonly struct Transposed : ILayout
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int Index(int row, int column, int k) => column * k + row;
}

/// <summary>Whether a product adds to C (true) or overwrites it (false); in <see cref="LaneStridedProduct{TOps, TVec, T}"/>,
/// whether each sum starts from a given start value (C itself or a bias) rather than from zero.</summary>
internal interface IStart
{
    static abstract bool Accumulate { get; }
}

internal readonly struct Overwrite : IStart
{
    public static bool Accumulate => false;
}

internal readonly struct AddTo : IStart
{
    public static bool Accumulate => true;
}

/// <summary>A matrix size known to the JIT (the type is a compile-time constant after specialisation).</summary>
internal interface IConstant
{
    static abstract int Value { get; }
}

internal readonly struct Five : IConstant
{
    public static int Value => 5;
}

internal readonly struct Six : IConstant
{
    public static int Value => 6;
}
