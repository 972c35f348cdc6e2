using TorchSharp;

namespace LinAttn.Tests.TestKit;

/// <summary>Sets torch to one thread before any test touches it: two test processes or parallel test classes with
/// multi-threaded torch on 2 cores oversubscribe the machine and make steps ~100x slower.</summary>
public abstract class TorchTest
{
    static TorchTest()
    {
        torch.set_num_threads(1);
    }
}
