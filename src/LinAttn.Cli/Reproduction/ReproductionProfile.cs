namespace LinAttn.Cli.Reproduction;

/// <summary>How big a reproduction is: same code path, different sizes.</summary>
internal enum ReproductionProfile
{
    /// <summary>The paper's sizes (6 seeds, 10,000 steps, diagnostics every 250 iterations, 10,000 noise minibatches).</summary>
    Full = 0,

    /// <summary>Fewer seeds and steps, diagnostics only where the paper's claims are checked; minutes on 2 cores.</summary>
    Quick = 1,

    /// <summary>A smoke-test size for the integration tests (hidden flag <c>--tiny</c>); numbers are meaningless.</summary>
    Tiny = 2,
}
