using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TorchOptimizerOptions = TorchSharp.Modules.OptimizerOptions;

namespace LinAttn.Training.Optimizers;

/// <summary>
/// Base of the example TorchSharp optimizers: one parameter group, a learning rate, a momentum μ ∈ [0, 1), and one
/// momentum buffer per parameter (detached from any DisposeScope, disposed with the optimizer). Subclasses write only
/// the update math in <c>step</c>.
/// </summary>
public abstract class MomentumOptimizerBase : OptimizerHelper
{
    private readonly Dictionary<IntPtr, Tensor> _buffers = new();

    /// <summary>Validates the hyper-parameters and registers <paramref name="parameters"/> as one group.</summary>
    protected MomentumOptimizerBase(IEnumerable<Parameter> parameters, double learningRate, double momentum)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"Invalid learning rate: {learningRate}");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"Invalid momentum value: {momentum}");
        Momentum = momentum;
        _defaults = new TorchOptimizerOptions { LearningRate = learningRate, InitialLearningRate = learningRate };
        _parameter_groups = new List<ParamGroup>
        {
            new ParamGroup<TorchOptimizerOptions>(parameters.ToList(), new TorchOptimizerOptions { LearningRate = learningRate, InitialLearningRate = learningRate }),
        };
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>The momentum buffer of <paramref name="parameter"/>, created as zeros on first use.</summary>
    protected Tensor Buffer(Parameter parameter)
    {
        if (!_buffers.TryGetValue(parameter.Handle, out Tensor? buffer))
        {
            buffer = torch.zeros_like(parameter).DetachFromDisposeScope();
            _buffers[parameter.Handle] = buffer;
        }
        return buffer;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (Tensor buffer in _buffers.Values) buffer.Dispose();
        _buffers.Clear();
    }
}
