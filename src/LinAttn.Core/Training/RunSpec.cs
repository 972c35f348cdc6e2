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
    }
}
