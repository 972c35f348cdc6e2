using LinAttn.Model;

namespace LinAttn.Training;

/// <summary>The outcome of a training run: status, history and the final parameters.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(ModelOptions model, TrainingOptions training, TrainingStatus status, string message,
        int? divergedAtStep, TrainingHistory history, double[] finalParameters)
    {
        Model = model;
        Training = training;
        Status = status;
        Message = message;
        DivergedAtStep = divergedAtStep;
        History = history;
        FinalParameters = finalParameters;
    }

    /// <summary>The architecture trained.</summary>
    public ModelOptions Model { get; }

    /// <summary>The training options used.</summary>
    public TrainingOptions Training { get; }

    /// <summary>How the run ended.</summary>
    public TrainingStatus Status { get; }

    /// <summary>A human-readable account of the end (for divergence: the step, the quantity and likely causes).</summary>
    public string Message { get; }

    /// <summary>The step whose loss, gradient or update was non-finite, when <see cref="Status"/> is Diverged.</summary>
    public int? DivergedAtStep { get; }

    /// <summary>What was recorded.</summary>
    public TrainingHistory History { get; }

    /// <summary>Parameters after the last applied update, layout [L, H, m, k, k]. Never holds NaN from a diverged step.</summary>
    public double[] FinalParameters { get; }

    /// <summary>Number of updates applied.</summary>
    public int StepsCompleted => Status == TrainingStatus.Diverged ? DivergedAtStep ?? History.Steps : History.Steps;

    /// <summary>Builds a TorchSharp model holding the final parameters.</summary>
    public LinearTransformer CreateModel(TorchSharp.torch.Device? device = null) => new(Model, FinalParameters, device);
}
