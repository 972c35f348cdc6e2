using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Internal;

/// <summary>
/// Safe replacements for TorchSharp operations that pass a temporary <see cref="Scalar"/> to native code.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 converts .NET numbers to <see cref="Scalar"/> implicitly (also inside <c>Tensor + Tensor</c>, which
/// calls <c>add(other, 1)</c>) and hands only the native handle to libtorch. Nothing keeps the temporary alive, so a
/// garbage collection on another thread can finalize it while the native call reads it: we saw "Unknown scalar type"
/// and "Expected false to be true ... toFloat" crashes mid-training. Library code therefore never uses an implicit
/// Scalar: it uses the cached instances below (static, so never finalized) or a <c>using</c> local.
/// </remarks>
internal static class TorchScalars
{
    public static readonly Scalar One = 1.0.ToScalar();

    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();

    /// <summary>a + b without a temporary Scalar.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>
    /// The value of a one-element tensor as a double (any dtype). <c>Tensor.ToDouble()</c> is <c>ToScalar().ToDouble()</c>:
    /// the temporary Scalar is unreachable while native code reads it through its raw handle, so a collection can
    /// finalize it mid-call (seen as "Expected false to be true … toDouble" aborts in long diagnostic runs). The
    /// <c>using</c> local keeps it alive until the read has returned.
    /// </summary>
    public static double ReadDouble(this Tensor tensor)
    {
        using Scalar value = tensor.ToScalar();
        return value.ToDouble();
    }
}
