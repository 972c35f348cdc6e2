using LinAttn.Internal;
using LinAttn.Tests.TestKit;
using TorchSharp;

namespace LinAttn.Tests;

/// <summary>The native library loads on this machine (see Directory.Build.targets and README "Linux notes").</summary>
public sealed class TorchSharpLoadsTests : TorchTest
{
    [Fact]
    public void TorchSharp_LoadsAndComputes()
    {
        using var a = torch.ones(3, 4);
        using var b = torch.ones(4, 2);
        using var c = a.matmul(b);
        Assert.Equal(new long[] { 3, 2 }, c.shape);
        Assert.Equal(4.0, c[0, 0].ReadDouble());
    }
}
