namespace LinAttn.Engine.Simd;

/// <summary>
/// Lane-wise arithmetic on a vector type <typeparamref name="TVec"/> of <typeparamref name="T"/>, as static abstract
/// members so that generic kernels are specialised and inlined by the JIT for each vector width (no calls in the hot loop).
/// Each lane carries one prompt (structure of arrays).
/// </summary>
internal interface ISimdOps<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    /// <summary>Number of lanes.</summary>
    static abstract int Width { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Broadcast(T value);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Sub(TVec a, TVec b);

    static abstract TVec Mul(TVec a, TVec b);

    /// <summary>a·b + c (fused where the hardware has FMA).</summary>
    static abstract TVec MulAdd(TVec a, TVec b, TVec c);

    /// <summary>a / b, lane by lane (IEEE division).</summary>
    static abstract TVec Divide(TVec a, TVec b);

    /// <summary>eˣ lane by lane for x ≤ 0 (the max-subtracted softmax scores of the token-level kernel); see <see cref="VectorExp"/>.</summary>
    static abstract TVec ExpNonPositive(TVec x);

    /// <summary>
    /// Lane-wise maximum as x86's <c>vmaxps</c>/<c>vmaxpd</c> computes it: a where a &gt; b, else b (so b when either
    /// is NaN or both are zero, of either sign). One instruction, where IEEE semantics cost <c>vrangeps</c>, two
    /// <c>vfixupimmps</c> and a constant load. For the softmax's running max: a NaN score can drop out of the max, but
    /// it reaches the softmax's sum, so the output is NaN either way.
    /// </summary>
    static abstract TVec Max(TVec a, TVec b);

    /// <summary>
    /// ReLU lane by lane: 0 where x &lt; 0, else x, so NaN stays NaN (a diverging run stays visible) and −0 stays −0 —
    /// the one input where it differs from Max(x, 0). On x86 this is a single <c>vmaxps 0, x</c> (which returns its
    /// second operand when unordered or both zero), where <see cref="Max"/>'s IEEE semantics cost <c>vrangeps</c>, two
    /// <c>vfixupimmps</c> and a constant load.
    /// </summary>
    static abstract TVec Relu(TVec x);

    /// <summary><paramref name="value"/> where <paramref name="condition"/> &gt; 0, else 0, lane by lane.</summary>
    static abstract TVec WherePositive(TVec condition, TVec value);

    /// <summary>Lane <paramref name="lane"/> of <paramref name="v"/>.</summary>
    static abstract T GetLane(TVec v, int lane);

    /// <summary>Loads <see cref="Width"/> values.</summary>
    static abstract TVec Load(ReadOnlySpan<T> values);

    /// <summary>Converts a double to <typeparamref name="T"/>.</summary>
    static abstract T FromDouble(double value);

    /// <summary>Converts a float (input data) to <typeparamref name="T"/>.</summary>
    static abstract T FromSingle(float value);

    /// <summary>Converts <typeparamref name="T"/> to double.</summary>
    static abstract double ToDouble(T value);

    /// <summary>
    /// Writes the <see cref="Width"/> lanes of <paramref name="v"/> as doubles from <paramref name="destination"/> on, by
    /// vector conversion (a scalar float-to-double conversion carries a false dependency on its target register, which
    /// chains every conversion of a loop together).
    /// </summary>
    static abstract void StoreDoubles(TVec v, ref double destination);
}
