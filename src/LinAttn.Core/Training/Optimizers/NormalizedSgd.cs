using LinAttn.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LinAttn.Training.Optimizers;

/// <summary>
/// Normalized SGD with momentum (Cutkosky and Mehta 2020): m ← μ m + g, θ ← θ − η m / ‖m‖, where ‖m‖ is the Euclidean
/// norm over all parameters. The step length is exactly η whatever the gradient scale. A TorchSharp
/// <see cref="OptimizerHelper"/> subclass holding only the update math.
/// </summary>
public sealed class NormalizedSgd : MomentumOptimizerBase
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Parameters to optimize.</param>
    /// <param name="learningRate">η &gt; 0 (the step length).</param>
    /// <param name="momentum">μ ∈ [0, 1).</param>
    public NormalizedSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0)
        : base(parameters, learningRate, momentum)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        using Scalar momentum = Momentum.ToScalar();
        return _step<ParamGroup>(group =>
        {
            var directions = new List<(Parameter Parameter, Tensor Direction)>();
            double squaredNorm = 0;
            foreach (Parameter parameter in group.Parameters)
            {
                Tensor? grad = parameter.grad;
                if (grad is null) continue;
                Tensor direction = Momentum > 0 ? Buffer(parameter).mul_(momentum).add_(grad, alpha: LinAttn.Internal.TorchScalars.One) : grad;
                directions.Add((parameter, direction));
                squaredNorm += (direction * direction).sum().ReadDouble();
            }
            double norm = Math.Sqrt(squaredNorm);
            if (!(norm > 0)) return;
            using Scalar step = (-group.LearningRate / norm).ToScalar();
            foreach (var (parameter, direction) in directions) parameter.add_(direction, alpha: step);
        }, closure);
    }
}
