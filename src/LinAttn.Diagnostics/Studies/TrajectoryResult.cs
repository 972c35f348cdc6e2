using System.Text.Json;
using System.Text.Json.Serialization;
using LinAttn.Training;

namespace LinAttn.Diagnostics.Studies;

/// <summary>
/// One training run (one optimizer, one seed) and the diagnostics along its trajectory. Plain data, serializable to
/// JSON (<see cref="ToJson"/>), so finished runs can be stored and a study resumed.
/// </summary>
public sealed record TrajectoryResult
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The run's name (e.g. "setting1").</summary>
    public string Name { get; init; } = "";

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; }

    /// <summary>The seed (initialisation and training batches).</summary>
    public ulong Seed { get; init; }

    /// <summary>How training ended (Completed or Diverged; cancelled runs are not returned).</summary>
    public TrainingStatus Status { get; init; }

    /// <summary>The training loop's message.</summary>
    public string Message { get; init; } = "";

    /// <summary>Iterations of the evaluation losses.</summary>
    public int[] EvaluationSteps { get; init; } = Array.Empty<int>();

    /// <summary>Loss on the fixed evaluation batch at θ_t.</summary>
    public double[] EvaluationLoss { get; init; } = Array.Empty<double>();

    /// <summary>Training loss per step (on that step's batch).</summary>
    public double[] TrainLoss { get; init; } = Array.Empty<double>();

    /// <summary>Steps skipped because their loss or gradient was non-finite (<see cref="TrainingOptions.MaxSkippedSteps"/>).</summary>
    public int[] SkippedSteps { get; init; } = Array.Empty<int>();

    /// <summary>Pre-clip gradient norm per step (on that step's batch).</summary>
    public double[] GradientNorm { get; init; } = Array.Empty<double>();

    /// <summary>Iterations of the robust condition numbers.</summary>
    public int[] ConditionSteps { get; init; } = Array.Empty<int>();

    /// <summary>R_med by the authors' code (max |diag| / lower median |diag|) at <see cref="ConditionSteps"/>.</summary>
    public double[] ConditionDiagonal { get; init; } = Array.Empty<double>();

    /// <summary>R_med by the paper's definition (eigenvalue magnitudes) at <see cref="ConditionSteps"/>.</summary>
    public double[] ConditionEigenvalues { get; init; } = Array.Empty<double>();

    /// <summary>Largest Hessian eigenvalue at <see cref="ConditionSteps"/>.</summary>
    public double[] LargestEigenvalue { get; init; } = Array.Empty<double>();

    /// <summary>Iterations whose spectrum is kept.</summary>
    public int[] SpectrumSteps { get; init; } = Array.Empty<int>();

    /// <summary>Ascending eigenvalues at each of <see cref="SpectrumSteps"/>.</summary>
    public double[][] Spectra { get; init; } = Array.Empty<double[]>();

    /// <summary>Iterations of the directional smoothness.</summary>
    public int[] SmoothnessSteps { get; init; } = Array.Empty<int>();

    /// <summary>DS_t (signed).</summary>
    public double[] Smoothness { get; init; } = Array.Empty<double>();

    /// <summary>‖∇f(θ_t)‖ on the evaluation batch at <see cref="SmoothnessSteps"/> (NaN if not requested).</summary>
    public double[] SmoothnessGradientNorm { get; init; } = Array.Empty<double>();

    /// <summary>Wall-clock seconds of training.</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>Wall-clock seconds of the diagnostics.</summary>
    public double DiagnosticsSeconds { get; init; }

    /// <summary>The evaluation losses as a series.</summary>
    [JsonIgnore]
    public StepSeries LossSeries => new(EvaluationSteps, EvaluationLoss);

    /// <summary>R_med under a definition as a series.</summary>
    public StepSeries ConditionSeries(RobustConditionDefinition definition)
        => new(ConditionSteps, definition == RobustConditionDefinition.Eigenvalues ? ConditionEigenvalues : ConditionDiagonal);

    /// <summary>The directional smoothness as a series.</summary>
    [JsonIgnore]
    public StepSeries SmoothnessSeries => new(SmoothnessSteps, Smoothness);

    /// <summary>The last finite evaluation loss (NaN when none): a run stopped by a non-finite evaluation loss ends with
    /// that value, and its final loss is the one before it.</summary>
    [JsonIgnore]
    public double FinalLoss => EvaluationLoss.LastOrDefault(double.IsFinite, double.NaN);

    /// <summary>Serializes to JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">Not a trajectory result.</exception>
    public static TrajectoryResult FromJson(string json)
        => JsonSerializer.Deserialize<TrajectoryResult>(json, Json) ?? throw new JsonException("The JSON holds no trajectory result.");
}
