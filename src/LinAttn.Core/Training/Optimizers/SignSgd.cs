using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LinAttn.Training.Optimizers;

/// <summary>
/// Sign SGD, and Signum when momentum &gt; 0 (Bernstein et al. 2018): m ← μ m + (1 − μ) g, θ ← θ − η sign(m).
/// Written as a TorchSharp <see cref="OptimizerHelper"/> to show how a researcher adds an optimizer: only the update
/// math lives here; the base class supplies no_grad, a DisposeScope per step and learning-rate control.
/// </summary>
public sealed class SignSgd : MomentumOptimizerBase
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Parameters to optimize.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="momentum">μ ∈ [0, 1); 0 gives plain sign SGD.</param>
    public SignSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0)
        : base(parameters, learningRate, momentum)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        // Scalars are created explicitly and kept referenced until disposed: TorchSharp's implicit conversions can be
        // finalized while the native call still reads them (docs/development.md).
        using Scalar momentum = Momentum.ToScalar();
        using Scalar dampening = (1 - Momentum).ToScalar();
        return _step<ParamGroup>(group =>
        {
            using Scalar step = (-group.LearningRate).ToScalar();
            foreach (Parameter parameter in group.Parameters)
            {
                Tensor? grad = parameter.grad;
                if (grad is null) continue;
                Tensor direction = Momentum > 0 ? Buffer(parameter).mul_(momentum).add_(grad, alpha: dampening) : grad;
                parameter.add_(direction.sign(), alpha: step);
            }
        }, closure);
    }
}
