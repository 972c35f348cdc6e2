namespace LinAttn.Diagnostics;

/// <summary>A fitted (L0, L1)-smoothness bound DS ≤ L0 + L1·‖∇f‖ and how the points relate to it.</summary>
public sealed record SmoothnessFit
{
    /// <summary>L0 ≥ 0.</summary>
    public double L0 { get; init; }

    /// <summary>L1 ≥ 0.</summary>
    public double L1 { get; init; }

    /// <summary>The fitting method.</summary>
    public SmoothnessFitMethod Method { get; init; }

    /// <summary>τ for <see cref="SmoothnessFitMethod.Quantile"/> (1 for the upper envelope).</summary>
    public double Level { get; init; }

    /// <summary>Number of (‖∇f‖, DS) pairs used (finite values only).</summary>
    public int Count { get; init; }

    /// <summary>Fraction of the pairs with DS ≤ L0 + L1‖∇f‖ (up to 1e-12 relative).</summary>
    public double FractionBelow { get; init; }

    /// <summary>Spearman rank correlation of ‖∇f‖ and DS over the pairs with DS &gt; 0 (the paper's log-log scatter;
    /// ranks are unchanged by the logarithm).</summary>
    public double Spearman { get; init; }

    /// <summary>Least-squares slope of log DS on log ‖∇f‖ over the pairs with DS &gt; 0.</summary>
    public double LogLogSlope { get; init; }

    /// <summary>Number of pairs with DS &gt; 0 (those in the log-log statistics).</summary>
    public int PositiveCount { get; init; }
}
