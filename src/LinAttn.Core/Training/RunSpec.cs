using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>A complete synthetic experiment: architecture, task and training options, under a name.</summary>
/// <param name="Name">A label for files and reports (e.g. "setting1").</param>
/// <param name="Model">The architecture; its <see cref="ModelOptions.Dimension"/> must equal the task's d.</param>
/// <param name="Task">The in-context regression task.</param>
/// <param name="Training">How to train.</param>
public sealed record RunSpec(string Name, ModelOptions Model, TaskOptions Task, TrainingOptions Training)
{
    /// <summary>Validates every part and their agreement; throws <see cref="ArgumentOutOfRangeException"/> naming the option.</summary>
    public void Validate()
    {
        Guard.NotNull(Model).Validate();
        Guard.NotNull(Task).Validate();
        Guard.NotNull(Training).Validate();
        Guard.That(Model.Dimension == Task.Dimension, nameof(Model.Dimension),
            $"Model.Dimension ({Model.Dimension}) must equal Task.Dimension ({Task.Dimension}).");
        if (Training.Sampling == PromptSampling.Moments) ValidateMoments();
    }

    // Moments carry S₀ and the query only: what the fast engine's linear attention reads, for a task with a Wishart S₀.
    private void ValidateMoments()
    {
        const string name = nameof(TrainingOptions.Sampling);
        Guard.That(Model.Activation == ScoreActivation.Identity && Model.FeatureMlpWidth == 0, name,
            $"Sampling Moments draws S₀ = Σ z zᵀ instead of tokens, which only linear attention without a feature MLP can use, but Activation is {Model.Activation} and FeatureMlpWidth {Model.FeatureMlpWidth}. Use Sampling Tokens.");
        string unsupported = new PromptSampler(Task).MomentsUnsupported();
        Guard.That(unsupported.Length == 0, name, $"Sampling Moments needs a Gaussian linear task, but {unsupported}. Use Sampling Tokens.");
        Guard.That(Runner.ResolveEngine(Model, Training) == EngineKind.Fast, name,
            $"Sampling Moments needs the fast engine, but Engine {Training.Engine} on device '{Training.Device}' resolves to TorchSharp, which reads tokens. Use Engine Auto or Fast on the CPU, or Sampling Tokens.");
    }
}
