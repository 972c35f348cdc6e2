using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinAttn.Training;

/// <summary>
/// What a run recorded: per step the training loss (at θ_t, on that step's batch), the pre-clip gradient norm and the
/// learning rate; the evaluation loss every k steps (at θ_t, on the fixed batch); optional parameter snapshots θ_t.
/// Serializable to JSON (everything) and CSV (per-step columns).
/// </summary>
public sealed class TrainingHistory
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Training loss of step t (index t).</summary>
    public List<double> TrainLoss { get; init; } = new();

    /// <summary>Pre-clip global gradient norm of step t.</summary>
    public List<double> GradientNorm { get; init; } = new();

    /// <summary>Learning rate used at step t.</summary>
    public List<double> LearningRate { get; init; } = new();

    /// <summary>Steps at which the evaluation loss was measured (θ_t before step t's update; the last is the step count).</summary>
    public List<int> EvaluationSteps { get; init; } = new();

    /// <summary>Evaluation losses, aligned with <see cref="EvaluationSteps"/>.</summary>
    public List<double> EvaluationLoss { get; init; } = new();

    /// <summary>Steps of the parameter snapshots.</summary>
    public List<int> SnapshotSteps { get; init; } = new();

    /// <summary>Parameter snapshots θ_t, aligned with <see cref="SnapshotSteps"/>.</summary>
    public List<double[]> Snapshots { get; init; } = new();

    /// <summary>Steps skipped because their training loss or gradient was non-finite (<see cref="TrainingOptions.MaxSkippedSteps"/>);
    /// their <see cref="TrainLoss"/> entry is that non-finite loss, and their update was not applied.</summary>
    public List<int> SkippedSteps { get; init; } = new();

    /// <summary>Wall-clock seconds spent in the training loop.</summary>
    public double WallSeconds { get; set; }

    /// <summary>Steps recorded.</summary>
    [JsonIgnore]
    public int Steps => TrainLoss.Count;

    /// <summary>The last evaluation loss, or NaN when none was measured.</summary>
    [JsonIgnore]
    public double FinalEvaluationLoss => EvaluationLoss.Count > 0 ? EvaluationLoss[^1] : double.NaN;

    /// <summary>The evaluation loss measured at <paramref name="step"/>, or NaN.</summary>
    public double EvaluationLossAt(int step)
    {
        int i = EvaluationSteps.IndexOf(step);
        return i >= 0 ? EvaluationLoss[i] : double.NaN;
    }

    /// <summary>Serializes to JSON (NaN and infinities as named literals).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a history written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a training history.</exception>
    public static TrainingHistory FromJson(string json)
        => JsonSerializer.Deserialize<TrainingHistory>(json, JsonOptions) ?? throw new JsonException("The JSON holds no training history.");

    /// <summary>CSV with one row per step: step, train_loss, grad_norm, learning_rate, eval_loss (empty where not measured).</summary>
    public string ToCsv()
    {
        var eval = new Dictionary<int, double>();
        for (int i = 0; i < EvaluationSteps.Count; i++) eval[EvaluationSteps[i]] = EvaluationLoss[i];
        var sb = new StringBuilder("step,train_loss,grad_norm,learning_rate,eval_loss\n");
        int rows = Math.Max(Steps, EvaluationSteps.Count > 0 ? EvaluationSteps[^1] + 1 : 0);
        for (int t = 0; t < rows; t++)
        {
            sb.Append(t.ToString(CultureInfo.InvariantCulture)).Append(',');
            if (t < Steps)
            {
                sb.Append(Format(TrainLoss[t])).Append(',').Append(Format(GradientNorm[t])).Append(',').Append(Format(LearningRate[t]));
            }
            else
            {
                sb.Append(",,");
            }
            sb.Append(',');
            if (eval.TryGetValue(t, out double e)) sb.Append(Format(e));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
