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
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            int j = 0;
            for (; j + 1 < k; j += 2)
            {
                TVec acc0 = TOps.Zero, acc1 = TOps.Zero;
                    for (int m = 0; m < k; m++)
                    {
                        TVec shared = Unsafe.Add(ref ra, i * k + m);
                        acc0 = TOps.MulAdd(shared, Unsafe.Add(ref rb, m * k + j), acc0);
                        acc1 = TOps.MulAdd(shared, Unsafe.Add(ref rb, m * k + (j + 1)), acc1);
                    }
                    Unsafe.Add(ref rc, i * k + j) = acc0;
                    Unsafe.Add(ref rc, i * k + (j + 1)) = acc1;
            }
            for (; j < k; j++)
            {
                TVec acc = TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, m * k + j), acc);
                    Unsafe.Add(ref rc, i * k + j) = acc;
            }
        }
    }

    // C += A B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            int j = 0;
            for (; j + 1 < k; j += 2)
            {
                TVec acc0 = Unsafe.Add(ref rc, i * k + j), acc1 = Unsafe.Add(ref rc, i * k + (j + 1));
                    for (int m = 0; m < k; m++)
                    {
                        TVec shared = Unsafe.Add(ref ra, i * k + m);
                        acc0 = TOps.MulAdd(shared, Unsafe.Add(ref rb, m * k + j), acc0);
                        acc1 = TOps.MulAdd(shared, Unsafe.Add(ref rb, m * k + (j + 1)), acc1);
                    }
                    Unsafe.Add(ref rc, i * k + j) = acc0;
                    Unsafe.Add(ref rc, i * k + (j + 1)) = acc1;
            }
            for (; j < k; j++)
            {
                TVec acc = Unsafe.Add(ref rc, i * k + j);
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, m * k + j), acc);
                    Unsafe.Add(ref rc, i * k + j) = acc;
            }
        }
    }

    // C = A Bᵀ
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposed(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            int j = 0;
            for (; j + 1 < k; j += 2)
            {
                TVec acc0 = TOps.Zero, acc1 = TOps.Zero;
                    for (int m = 0; m < k; m++)
                    {
                        TVec shared = Unsafe.Add(ref ra, i * k + m);
                        acc0 = TOps.MulAdd(shared, Unsafe.Add(ref rb, j * k + m), acc0);
                        acc1 = TOps.MulAdd(shared, Unsafe.Add(ref rb, (j + 1) * k + m), acc1);
                    }
                    Unsafe.Add(ref rc, i * k + j) = acc0;
                    Unsafe.Add(ref rc, i * k + (j + 1)) = acc1;
            }
            for (; j < k; j++)
            {
                TVec acc = TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, j * k + m), acc);
                    Unsafe.Add(ref rc, i * k + j) = acc;
            }
        }
    }

    // C += A Bᵀ
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposedAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            int j = 0;
            for (; j + 1 < k; j += 2)
            {
                TVec acc0 = Unsafe.Add(ref rc, i * k + j), acc1 = Unsafe.Add(ref rc, i * k + (j + 1));
                    for (int m = 0; m < k; m++)
                    {
                        TVec shared = Unsafe.Add(ref ra, i * k + m);
                        acc0 = TOps.MulAdd(shared, Unsafe.Add(ref rb, j * k + m), acc0);
                        acc1 = TOps.MulAdd(shared, Unsafe.Add(ref rb, (j + 1) * k + m), acc1);
                    }
                    Unsafe.Add(ref rc, i * k + j) = acc0;
                    Unsafe.Add(ref rc, i * k + (j + 1)) = acc1;
            }
            for (; j < k; j++)
            {
                TVec acc = Unsafe.Add(ref rc, i * k + j);
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, j * k + m), acc);
                    Unsafe.Add(ref rc, i * k + j) = acc;
            }
        }
    }

    // C = A Bᵀ where the result is known to be symmetric: the upper triangle is computed and mirrored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposedSymmetric(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            int j = i;
            for (; j + 1 < k; j += 2)
            {
                TVec acc0 = TOps.Zero, acc1 = TOps.Zero;
                    for (int m = 0; m < k; m++)
                    {
                        TVec shared = Unsafe.Add(ref ra, i * k + m);
                        acc0 = TOps.MulAdd(shared, Unsafe.Add(ref rb, j * k + m), acc0);
                        acc1 = TOps.MulAdd(shared, Unsafe.Add(ref rb, (j + 1) * k + m), acc1);
                    }
                    Unsafe.Add(ref rc, i * k + j) = acc0;
                    Unsafe.Add(ref rc, j * k + i) = acc0;
                    Unsafe.Add(ref rc, i * k + (j + 1)) = acc1;
                    Unsafe.Add(ref rc, (j + 1) * k + i) = acc1;
            }
            for (; j < k; j++)
            {
                TVec acc = TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + m), Unsafe.Add(ref rb, j * k + m), acc);
                    Unsafe.Add(ref rc, i * k + j) = acc;
                    Unsafe.Add(ref rc, j * k + i) = acc;
            }
        }
    }

    // C = Aᵀ B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposeLeft(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            int j = 0;
            for (; j + 1 < k; j += 2)
            {
                TVec acc0 = TOps.Zero, acc1 = TOps.Zero;
                    for (int m = 0; m < k; m++)
                    {
                        TVec shared = Unsafe.Add(ref ra, m * k + i);
                        acc0 = TOps.MulAdd(shared, Unsafe.Add(ref rb, m * k + j), acc0);
                        acc1 = TOps.MulAdd(shared, Unsafe.Add(ref rb, m * k + (j + 1)), acc1);
                    }
                    Unsafe.Add(ref rc, i * k + j) = acc0;
                    Unsafe.Add(ref rc, i * k + (j + 1)) = acc1;
            }
            for (; j < k; j++)
            {
                TVec acc = TOps.Zero;
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, m * k + i), Unsafe.Add(ref rb, m * k + j), acc);
                    Unsafe.Add(ref rc, i * k + j) = acc;
            }
        }
    }

    // C += Aᵀ B
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposeLeftAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> b, Span<TVec> c)
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rb = ref MemoryMarshal.GetReference(b);
        ref TVec rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < k; i++)
        {
            int j = 0;
            for (; j + 1 < k; j += 2)
            {
                TVec acc0 = Unsafe.Add(ref rc, i * k + j), acc1 = Unsafe.Add(ref rc, i * k + (j + 1));
                    for (int m = 0; m < k; m++)
                    {
                        TVec shared = Unsafe.Add(ref ra, m * k + i);
                        acc0 = TOps.MulAdd(shared, Unsafe.Add(ref rb, m * k + j), acc0);
                        acc1 = TOps.MulAdd(shared, Unsafe.Add(ref rb, m * k + (j + 1)), acc1);
                    }
                    Unsafe.Add(ref rc, i * k + j) = acc0;
                    Unsafe.Add(ref rc, i * k + (j + 1)) = acc1;
            }
            for (; j < k; j++)
            {
                TVec acc = Unsafe.Add(ref rc, i * k + j);
                for (int m = 0; m < k; m++) acc = TOps.MulAdd(Unsafe.Add(ref ra, m * k + i), Unsafe.Add(ref rb, m * k + j), acc);
                    Unsafe.Add(ref rc, i * k + j) = acc;
            }
        }
    }

    // y = A x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyVector(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rx = ref MemoryMarshal.GetReference(x);
        ref TVec ry = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < k; i++)
        {
            TVec acc = TOps.Zero;
            for (int j = 0; j < k; j++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + j), Unsafe.Add(ref rx, j), acc);
            Unsafe.Add(ref ry, i) = acc;
        }
    }

    // y = Aᵀ x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposedVector(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
    {
                ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rx = ref MemoryMarshal.GetReference(x);
        ref TVec ry = ref MemoryMarshal.GetReference(y);
        for (int j = 0; j < k; j++)
        {
            TVec acc = TOps.Zero;
            for (int i = 0; i < k; i++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + j), Unsafe.Add(ref rx, i), acc);
            Unsafe.Add(ref ry, j) = acc;
        }
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

    // y += A x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyVectorAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
    {
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rx = ref MemoryMarshal.GetReference(x);
        ref TVec ry = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < k; i++)
        {
            TVec acc = Unsafe.Add(ref ry, i);
            for (int j = 0; j < k; j++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + j), Unsafe.Add(ref rx, j), acc);
            Unsafe.Add(ref ry, i) = acc;
        }
    }

    // y += Aᵀ x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyTransposedVectorAccumulate(int k, ReadOnlySpan<TVec> a, ReadOnlySpan<TVec> x, Span<TVec> y)
    {
        ref TVec ra = ref MemoryMarshal.GetReference(a);
        ref TVec rx = ref MemoryMarshal.GetReference(x);
        ref TVec ry = ref MemoryMarshal.GetReference(y);
        for (int j = 0; j < k; j++)
        {
            TVec acc = Unsafe.Add(ref ry, j);
            for (int i = 0; i < k; i++) acc = TOps.MulAdd(Unsafe.Add(ref ra, i * k + j), Unsafe.Add(ref rx, i), acc);
            Unsafe.Add(ref ry, j) = acc;
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

    // x ← s·x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(Span<TVec> x, TVec s)
    {
        for (int i = 0; i < x.Length; i++) x[i] = TOps.Mul(x[i], s);
    }
}
