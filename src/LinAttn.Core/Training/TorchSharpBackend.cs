using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LinAttn.Training;

/// <summary>
/// The TorchSharp engine: <see cref="LinearTransformer"/> with autograd. Supports every parametrisation, activation,
/// precision and device. One DisposeScope per step and per evaluation.
/// </summary>
/// <remarks>
/// By default the update is done by the library's managed optimizers (<see cref="IParameterOptimizer"/>) on a double
/// master copy of θ, so every engine shares one implementation of SGD, Adam, etc. A TorchSharp optimizer can be plugged
/// in instead (see the constructor taking a factory), e.g. <see cref="SignSgd"/>; it then updates the torch parameter.
/// </remarks>
public sealed class TorchSharpBackend : ITrainingBackend
{
    private readonly LinearTransformer _model;
    private readonly IParameterOptimizer? _optimizer;
    private readonly optim.Optimizer? _torchOptimizer;
    private readonly double? _clip;
    private readonly double[] _theta, _gradient, _backup;

    /// <summary>Creates the engine with a managed optimizer, from initial parameters (layout [L, H, m, k, k]).</summary>
    public TorchSharpBackend(ModelOptions model, OptimizerOptions optimizer, double? clipThreshold, ReadOnlySpan<double> initialParameters, Device? device = null)
        : this(model, clipThreshold, initialParameters, device)
    {
        _optimizer = ParameterOptimizers.Create(Guard.NotNull(optimizer), model.ParameterCount);
    }

    /// <summary>Creates the engine with a TorchSharp optimizer built by <paramref name="torchOptimizer"/> from the parameters.</summary>
    public TorchSharpBackend(ModelOptions model, Func<IEnumerable<Parameter>, optim.Optimizer> torchOptimizer, double? clipThreshold,
        ReadOnlySpan<double> initialParameters, Device? device = null)
        : this(model, clipThreshold, initialParameters, device)
    {
        _torchOptimizer = Guard.NotNull(torchOptimizer)(_model.parameters());
    }

    private TorchSharpBackend(ModelOptions model, double? clipThreshold, ReadOnlySpan<double> initialParameters, Device? device)
    {
        Guard.NotNull(model).Validate();
        if (clipThreshold is double c) Guard.Positive(c, nameof(clipThreshold));
        _model = new LinearTransformer(model, initialParameters, device);
        _clip = clipThreshold;
        _theta = initialParameters.ToArray();
        _gradient = new double[_theta.Length];
        _backup = new double[_theta.Length];
    }

    /// <inheritdoc />
    public ModelOptions Model => _model.Options;

    /// <summary>The TorchSharp module being trained.</summary>
    public LinearTransformer Module => _model;

    /// <inheritdoc />
    public StepOutcome Step(PromptBatch batch, double learningRate)
    {
        double loss;
        using (var scope = torch.NewDisposeScope())
        {
            using var t = batch.ToTensors(_model.Device, Model.Precision);
            _model.Weights.grad?.zero_();
            Tensor lossTensor = _model.Loss(t.Tokens, t.Targets, t.ContextMask);
            lossTensor.backward();
            loss = lossTensor.ReadDouble();
            CopyToManaged(_model.Weights.grad!, _gradient);
        }

        if (_optimizer is not null)
        {
            StepOutcome outcome = ParameterUpdate.Apply(loss, _theta, _gradient, _clip, _optimizer, learningRate, _backup);
            if (outcome.Failure == StepFailure.None) _model.SetParameters(_theta);
            return outcome;
        }
        return TorchOptimizerStep(loss, learningRate);
    }

    private StepOutcome TorchOptimizerStep(double loss, double learningRate)
    {
        var noUpdate = new NoUpdateOptimizer();
        StepOutcome outcome = ParameterUpdate.Apply(loss, _theta, _gradient, _clip, noUpdate, learningRate, _backup);
        if (outcome.Failure != StepFailure.None) return outcome;
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            // The clipped gradient goes back into the parameter's grad for the torch optimizer.
            _model.Weights.grad!.copy_(torch.tensor(_gradient, Model.ParameterShape, _model.Weights.dtype, _model.Device));
        }
        foreach (var group in _torchOptimizer!.ParamGroups) group.LearningRate = learningRate;
        _torchOptimizer.step();
        double[] updated = _model.GetParameters();
        if (updated.Any(v => !double.IsFinite(v)))
        {
            _model.SetParameters(_theta);
            return outcome with { Failure = StepFailure.NonFiniteWeights };
        }
        updated.CopyTo(_theta, 0);
        return outcome;
    }

    /// <inheritdoc />
    public double Evaluate(PromptBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var t = batch.ToTensors(_model.Device, Model.Precision);
        return _model.Loss(t.Tokens, t.Targets, t.ContextMask).ReadDouble();
    }

    /// <inheritdoc />
    public double[] GetParameters() => (double[])_theta.Clone();

    private static void CopyToManaged(Tensor tensor, double[] destination)
    {
        if (tensor.dtype == ScalarType.Float64)
        {
            tensor.cpu().data<double>().CopyTo(destination, 0);
            return;
        }
        float[] values = tensor.cpu().data<float>().ToArray();
        for (int i = 0; i < values.Length; i++) destination[i] = values[i];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _torchOptimizer?.Dispose();
        _model.Dispose();
    }

    // Lets ParameterUpdate do the norm, checks and clipping when a torch optimizer does the update.
    private sealed class NoUpdateOptimizer : IParameterOptimizer
    {
        public OptimizerOptions Options { get; } = new();

        public void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate)
        {
        }
    }
}
