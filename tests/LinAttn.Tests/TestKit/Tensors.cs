using LinAttn.Model;
using LinAttn.Random;
using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Tests.TestKit;

/// <summary>Small helpers to build tensors and read them back in tests.</summary>
public static class Tensors
{
    public static Tensor FromDoubles(double[] values, params long[] shape) => torch.tensor(values, shape, ScalarType.Float64);

    public static double[] ToDoubles(Tensor tensor) => tensor.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();

    /// <summary>Random parameters N(0, std²) for <paramref name="options"/> from a test seed.</summary>
    public static double[] RandomParameters(ModelOptions options, ulong seed, double std)
    {
        var values = new double[options.ParameterCount];
        var random = CounterRandom.For(seed, 1000);
        random.FillGaussian(values);
        for (int i = 0; i < values.Length; i++) values[i] *= std;
        return values;
    }

    /// <summary>Random tokens [B, N+1, d+1] (query label 0) as a float64 tensor.</summary>
    public static Tensor RandomTokens(int batch, int n, int d, ulong seed)
    {
        var values = new double[batch * (n + 1) * (d + 1)];
        var random = CounterRandom.For(seed, 2000);
        random.FillGaussian(values);
        for (int b = 0; b < batch; b++) values[(b * (n + 1) + n) * (d + 1) + d] = 0;
        return FromDoubles(values, batch, n + 1, d + 1);
    }
}
