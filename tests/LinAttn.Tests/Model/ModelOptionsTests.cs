using LinAttn.Model;
using LinAttn.Tests.TestKit;
using TorchSharp;

namespace LinAttn.Tests.Model;

public sealed class ModelOptionsTests : TorchTest
{
    [Theory]
    [InlineData(Parametrization.Restricted, 150)]          // the paper's L = 3, d = 5 model
    [InlineData(Parametrization.Full, 216)]
    [InlineData(Parametrization.PreconditionedGd, 75)]
    public void ParameterCount_MatchesShape(Parametrization parametrization, int expected)
    {
        var options = new ModelOptions { Parametrization = parametrization };
        Assert.Equal(expected, options.ParameterCount);
        using var model = new LinearTransformer(options, 0);
        Assert.Equal(options.ParameterShape, model.Weights.shape);
        Assert.Equal(expected, (int)model.Weights.numel());
    }

    [Fact]
    public void Initialisation_IsSeededNormalWithRequestedStd()
    {
        var options = new ModelOptions { Dimension = 20, Layers = 8, Heads = 4, InitStd = 0.05 };
        double[] a = LinearTransformer.InitialParameters(options, 7);
        double[] b = LinearTransformer.InitialParameters(options, 7);
        double[] c = LinearTransformer.InitialParameters(options, 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        double mean = a.Average();
        double std = Math.Sqrt(a.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.05 * 4 / Math.Sqrt(a.Length), 0.05 * 4 / Math.Sqrt(a.Length));
        Assert.InRange(std, 0.05 * 0.97, 0.05 * 1.03);
    }

    [Theory]
    [InlineData("Dimension")]
    [InlineData("Layers")]
    [InlineData("Heads")]
    [InlineData("InitStd")]
    public void Validate_NamesTheBadOption(string option)
    {
        var options = option switch
        {
            "Dimension" => new ModelOptions { Dimension = 0 },
            "Layers" => new ModelOptions { Layers = 0 },
            "Heads" => new ModelOptions { Heads = -1 },
            _ => new ModelOptions { InitStd = -0.1 },
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(option, e.ParamName);
        Assert.Contains(option, e.Message);
    }

    [Fact]
    public void Predict_RejectsTokensOfTheWrongWidth()
    {
        using var model = new LinearTransformer(new ModelOptions { Dimension = 5 }, 0);
        using var tokens = torch.zeros(2, 21, 5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(tokens, null));
        Assert.Contains("d + 1 = 6", e.Message);
    }

    [Fact]
    public void Float64_IsSupported()
    {
        using var model = new LinearTransformer(new ModelOptions { Precision = Precision.Float64 }, 0);
        Assert.Equal(torch.ScalarType.Float64, model.Weights.dtype);
    }
}
