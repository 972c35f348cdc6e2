namespace LinAttn.Engine;

/// <summary>The SIMD width the fast engine uses: the widest the CPU accelerates, or a narrower one for tests.</summary>
public enum SimdWidth
{
    /// <summary>Vector512 when accelerated, else Vector256, else scalar.</summary>
    Auto = 0,

    /// <summary>512-bit vectors (falls back to scalar when not accelerated).</summary>
    Vector512 = 1,

    /// <summary>256-bit vectors (falls back to scalar when not accelerated).</summary>
    Vector256 = 2,

    /// <summary>One prompt at a time (the fallback on CPUs without SIMD).</summary>
    Scalar = 3,
}
