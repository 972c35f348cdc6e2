namespace LinAttn.Diagnostics;

/// <summary>Directional smoothness along a trajectory, per measured iteration t (see <see cref="DirectionalSmoothness"/>).</summary>
public sealed record DirectionalSmoothnessResult
{
    /// <summary>Iterations t, ascending.</summary>
    public required IReadOnlyList<int> Steps { get; init; }

    /// <summary>DS_t = uᵀ∇²f(θ_t)u with u = (θ_{t+1} − θ_t)/‖θ_{t+1} − θ_t‖, signed (NaN when the step is zero).</summary>
    public required IReadOnlyList<double> Values { get; init; }

    /// <summary>‖θ_{t+1} − θ_t‖₂.</summary>
    public required IReadOnlyList<double> StepNorms { get; init; }

    /// <summary>‖∇f(θ_t)‖₂ on the same batch (NaN when not requested).</summary>
    public required IReadOnlyList<double> GradientNorms { get; init; }

    /// <summary>f(θ_t) on the same batch (NaN when gradient norms were not requested).</summary>
    public required IReadOnlyList<double> Losses { get; init; }

    /// <summary>Wall-clock seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>The values as a series.</summary>
    public StepSeries AsSeries() => new(Steps, Values);
}
