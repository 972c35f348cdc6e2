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
    /// scalar conversion per multiply-add, each waiting for the previous one (they share a target register).</remarks>
    internal void Apply(System.Numerics.Vector<float>[] x, System.Numerics.Vector<float>[] hidden, System.Numerics.Vector<float>[] output)
    {
        int d = Dimension, h = HiddenWidth;
        for (int j = 0; j < h; j++)
        {
            var sum = new System.Numerics.Vector<float>(_b1f[j]);
            for (int i = 0; i < d; i++) sum = System.Numerics.Vector.FusedMultiplyAdd(new System.Numerics.Vector<float>(_w1f[j * d + i]), x[i], sum);
            hidden[j] = System.Numerics.Vector.Max(sum, System.Numerics.Vector<float>.Zero);
        }
        for (int o = 0; o < d; o++)
        {
            var sum = new System.Numerics.Vector<float>(_b2f[o]);
            for (int j = 0; j < h; j++) sum = System.Numerics.Vector.FusedMultiplyAdd(new System.Numerics.Vector<float>(_w2f[o * h + j]), hidden[j], sum);
            output[o] = sum;
        }
    }

    private static float[] ToSingle(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static double[] Uniform(ref CounterRandom random, int count, double bound)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = (2 * random.NextDouble() - 1) * bound;
        return values;
    }
}
