namespace LinAttn.Diagnostics.Studies;

/// <summary>Which diagnostics <see cref="TrajectoryStudy"/> computes along a training run, all on the run's fixed
/// evaluation batch (as the paper).</summary>
public sealed record TrajectoryOptions
{
    /// <summary>Iterations t at which the Hessian of the evaluation loss at θ_t is computed for R_med (both
    /// definitions). The paper: every 250 iterations; its table uses 750 and 1250.</summary>
    public IReadOnlyList<int> ConditionSteps { get; init; } = Array.Empty<int>();

    /// <summary>Iterations (among <see cref="ConditionSteps"/>) whose full eigen-spectrum is kept in the result.</summary>
    public IReadOnlyList<int> SpectrumSteps { get; init; } = Array.Empty<int>();

    /// <summary>Iterations t at which DS_t is measured (needs θ_{t+1}: t must be below the step count).</summary>
    public IReadOnlyList<int> SmoothnessSteps { get; init; } = Array.Empty<int>();

    /// <summary>Also compute ‖∇f(θ_t)‖ on the evaluation batch at the smoothness steps (for (L0, L1) plots).</summary>
    public bool SmoothnessGradientNorms { get; init; } = true;

    /// <summary>Every <paramref name="stride"/> iterations from 0 up to <paramref name="last"/> inclusive.</summary>
    public static int[] Every(int stride, int last)
    {
        Check.Positive(stride, nameof(stride));
        return Enumerable.Range(0, last / stride + 1).Select(i => i * stride).ToArray();
    }
}
