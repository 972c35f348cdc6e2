using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinAttn.Random;

namespace LinAttn.Tasks;

/// <summary>
/// A fixed random map φ(x) = W₂ ReLU(W₁ x + b₁) + b₂ from R^d to R^d with hidden width h, initialised like PyTorch's
/// <c>nn.Linear</c> default (weights and biases uniform on ±1/√fan_in).
/// </summary>
public sealed class ReluFeatureMap
{
    private readonly double[] _w1, _b1, _w2, _b2;
    private readonly float[] _w1f, _b1f, _w2f, _b2f;   // the same rounded to float once, for the lane-wise sampler

    /// <summary>Draws the map from <paramref name="seed"/>.</summary>
    public ReluFeatureMap(int dimension, int hiddenWidth, ulong seed)
    {
        Dimension = dimension;
        HiddenWidth = hiddenWidth;
        var random = CounterRandom.For(seed, StreamPurpose.TaskStructure, 2);
        _w1 = Uniform(ref random, hiddenWidth * dimension, 1.0 / Math.Sqrt(dimension));
        _b1 = Uniform(ref random, hiddenWidth, 1.0 / Math.Sqrt(dimension));
        _w2 = Uniform(ref random, dimension * hiddenWidth, 1.0 / Math.Sqrt(hiddenWidth));
        _b2 = Uniform(ref random, dimension, 1.0 / Math.Sqrt(hiddenWidth));
        (_w1f, _b1f, _w2f, _b2f) = (ToSingle(_w1), ToSingle(_b1), ToSingle(_w2), ToSingle(_b2));
    }

    /// <summary>d (input and output size).</summary>
    public int Dimension { get; }

    /// <summary>h.</summary>
    public int HiddenWidth { get; }

    /// <summary>Writes φ(x) into <paramref name="output"/> (length d); <paramref name="hidden"/> is scratch of length h.</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> hidden, Span<double> output)
    {
        int d = Dimension, h = HiddenWidth;
        for (int j = 0; j < h; j++)
        {
            double sum = _b1[j];
            for (int i = 0; i < d; i++) sum += _w1[j * d + i] * x[i];
            hidden[j] = Math.Max(sum, 0.0);
        }
        for (int o = 0; o < d; o++)
        {
            double sum = _b2[o];
            for (int j = 0; j < h; j++) sum += _w2[o * h + j] * hidden[j];
            output[o] = sum;
        }
    }

    /// <summary>φ applied lane-wise (float32) to a block of covariates.</summary>
    /// <remarks>The weights come from float copies made once: converting them from double at every use cost a
    /// scalar conversion per multiply-add, each waiting for the previous one (they share a target register). Four
    /// outputs of a layer are summed side by side, so their FMA chains overlap instead of each waiting for the
    /// previous entry; every entry is still summed from its bias over the inputs in ascending order.</remarks>
    internal void Apply(Vector<float>[] x, Vector<float>[] hidden, Vector<float>[] output)
    {
        int d = Dimension, h = HiddenWidth;
        if (x.Length < d || hidden.Length < h || output.Length < d)
            throw new ArgumentException($"φ needs {d} inputs, {h} hidden and {d} outputs; got {x.Length}, {hidden.Length} and {output.Length}.");
        ref Vector<float> xs = ref MemoryMarshal.GetArrayDataReference(x), hs = ref MemoryMarshal.GetArrayDataReference(hidden);
        Layer(ref MemoryMarshal.GetArrayDataReference(_w1f), ref MemoryMarshal.GetArrayDataReference(_b1f), ref xs, d, ref hs, h, relu: true);
        Layer(ref MemoryMarshal.GetArrayDataReference(_w2f), ref MemoryMarshal.GetArrayDataReference(_b2f), ref hs, h,
            ref MemoryMarshal.GetArrayDataReference(output), d, relu: false);
    }

    // output[o] = f(bias[o] + Σ_i weights[o·inputs + i] · input[i]) for o < outputs, f = ReLU or the identity. The
    // callers pass arrays of these lengths (checked in Apply; the weights are sized by the constructor).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Layer(ref float weights, ref float bias, ref Vector<float> input, int inputs, ref Vector<float> output, int outputs, bool relu)
    {
        int o = 0;
        for (; o + 4 <= outputs; o += 4)
        {
            ref float w0 = ref Unsafe.Add(ref weights, o * inputs);
            ref float w1 = ref Unsafe.Add(ref w0, inputs), w2 = ref Unsafe.Add(ref w0, 2 * inputs), w3 = ref Unsafe.Add(ref w0, 3 * inputs);
            Vector<float> s0 = new(Unsafe.Add(ref bias, o)), s1 = new(Unsafe.Add(ref bias, o + 1)),
                s2 = new(Unsafe.Add(ref bias, o + 2)), s3 = new(Unsafe.Add(ref bias, o + 3));
            for (int i = 0; i < inputs; i++)
            {
                Vector<float> v = Unsafe.Add(ref input, i);
                s0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref w0, i)), v, s0);
                s1 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref w1, i)), v, s1);
                s2 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref w2, i)), v, s2);
                s3 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref w3, i)), v, s3);
            }
            Unsafe.Add(ref output, o) = Activate(s0, relu);
            Unsafe.Add(ref output, o + 1) = Activate(s1, relu);
            Unsafe.Add(ref output, o + 2) = Activate(s2, relu);
            Unsafe.Add(ref output, o + 3) = Activate(s3, relu);
        }
        for (; o < outputs; o++)
        {
            ref float w = ref Unsafe.Add(ref weights, o * inputs);
            Vector<float> sum = new(Unsafe.Add(ref bias, o));
            for (int i = 0; i < inputs; i++) sum = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref w, i)), Unsafe.Add(ref input, i), sum);
            Unsafe.Add(ref output, o) = Activate(sum, relu);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Activate(Vector<float> x, bool relu) => relu ? Vector.Max(x, Vector<float>.Zero) : x;

    private static float[] ToSingle(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static double[] Uniform(ref CounterRandom random, int count, double bound)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = (2 * random.NextDouble() - 1) * bound;
        return values;
    }
}
