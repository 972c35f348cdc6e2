using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Training;

/// <summary>Why a step's update was refused.</summary>
public enum StepFailure
{
    /// <summary>The update was applied.</summary>
    None = 0,

    /// <summary>The loss was NaN or infinite.</summary>
    NonFiniteLoss = 1,

    /// <summary>The gradient norm was NaN or infinite.</summary>
    NonFiniteGradient = 2,

    /// <summary>The update would have made a weight NaN or infinite (it was undone).</summary>
    NonFiniteWeights = 3,
}

/// <summary>The outcome of one training step.</summary>
/// <param name="Loss">Loss at θ_t on the step's batch.</param>
/// <param name="GradientNorm">Global gradient norm before clipping.</param>
/// <param name="Failure">Why the update was refused; <see cref="StepFailure.None"/> when it was applied.</param>
public readonly record struct StepOutcome(double Loss, double GradientNorm, StepFailure Failure);

/// <summary>
/// The compute engine under the shared training loop (<see cref="Trainer"/>): forward, backward, clipping and the optimizer
/// update for one architecture. The loop owns sampling, schedules, history, divergence checks and callbacks.
/// </summary>
public interface ITrainingBackend : IDisposable
{
    /// <summary>The architecture.</summary>
    ModelOptions Model { get; }

    /// <summary>One step at θ_t: loss and gradient on <paramref name="batch"/>, clip, then the optimizer update with
    /// <paramref name="learningRate"/>. When the loss, the gradient or the updated weights are non-finite, the
    /// parameters are left at θ_t and <see cref="StepOutcome.Failure"/> says why.</summary>
    StepOutcome Step(PromptBatch batch, double learningRate);

    /// <summary>Loss at the current parameters on <paramref name="batch"/>, without gradients.</summary>
    double Evaluate(PromptBatch batch);

    /// <summary>The current parameters, layout [L, H, m, k, k].</summary>
    double[] GetParameters();
}
