using LinAttn.Internal;
using LinAttn.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Model;

/// <summary>
/// <see cref="IDifferentiableLoss"/> by TorchSharp autograd in float64, whatever the architecture's precision:
/// gradients by backward, Hessian-vector products and Hessian rows by double backward (exact
/// up to rounding). Works for every parametrisation and score activation.
/// </summary>
public sealed class TorchSharpDifferentiableLoss : IDifferentiableLoss
{
    private readonly LinearTransformer _module;
    private PromptBatch? _cachedBatch;
    private PromptTensors? _cachedTensors;

    /// <summary>Creates the loss for an architecture on <paramref name="device"/> (CPU when null).</summary>
    public TorchSharpDifferentiableLoss(ModelOptions model, Device? device = null)
    {
        Guard.NotNull(model).Validate();
        Model = model;
        ModelOptions float64 = model with { Precision = Precision.Float64 };
        _module = new LinearTransformer(float64, new double[model.ParameterCount], device);
    }

    /// <inheritdoc />
    public ModelOptions Model { get; }

    /// <inheritdoc />
    public string HessianMethod => "double backward through TorchSharp autograd, float64 (exact)";

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> parameters, PromptBatch batch)
    {
        PromptTensors t = Prepare(parameters, batch);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return _module.Loss(t.Tokens, t.Targets, t.ContextMask).ReadDouble();
    }

    /// <inheritdoc />
    public double Gradient(ReadOnlySpan<double> parameters, PromptBatch batch, Span<double> gradient)
    {
        CheckLength(gradient.Length, nameof(gradient));
        PromptTensors t = Prepare(parameters, batch);
        using var scope = torch.NewDisposeScope();
        Tensor loss = _module.Loss(t.Tokens, t.Targets, t.ContextMask);
        Tensor g = torch.autograd.grad(new[] { loss }, new Tensor[] { _module.Weights })[0];
        CopyOut(g, gradient);
        return loss.ReadDouble();
    }

    /// <inheritdoc />
    public void HessianVectorProduct(ReadOnlySpan<double> parameters, PromptBatch batch, ReadOnlySpan<double> direction, Span<double> result)
    {
        CheckLength(direction.Length, nameof(direction));
        CheckLength(result.Length, nameof(result));
        PromptTensors t = Prepare(parameters, batch);
        using var scope = torch.NewDisposeScope();
        Tensor g = GradientWithGraph(t);
        Tensor v = torch.tensor(direction.ToArray(), Model.ParameterShape, ScalarType.Float64, _module.Device);
        // H v = ∂(∇f)/∂θ applied to v: one backward through the gradient's graph with v as the output gradient.
        Tensor hv = torch.autograd.grad(new[] { g }, new Tensor[] { _module.Weights }, new[] { v })[0];
        CopyOut(hv, result);
    }

    /// <inheritdoc />
    public double[] Hessian(ReadOnlySpan<double> parameters, PromptBatch batch)
    {
        int count = Model.ParameterCount;
        PromptTensors t = Prepare(parameters, batch);
        var hessian = new double[count * count];
        using var scope = torch.NewDisposeScope();
        Tensor g = GradientWithGraph(t).flatten();
        var row = new double[count];
        for (int i = 0; i < count; i++)
        {
            using var rowScope = torch.NewDisposeScope();
            Tensor hi = torch.autograd.grad(new[] { g[i] }, new Tensor[] { _module.Weights }, retain_graph: true, allow_unused: true)[0];
            if (hi is null || hi.IsInvalid) continue;   // a gradient entry that does not depend on θ (its Hessian row is 0)
            CopyOut(hi, row);
            row.CopyTo(hessian, i * count);
        }
        Symmetrise(hessian, count);
        return hessian;
    }

    private Tensor GradientWithGraph(PromptTensors t)
    {
        Tensor loss = _module.Loss(t.Tokens, t.Targets, t.ContextMask);
        // retain_graph with create_graph (PyTorch's default, not TorchSharp's): the gradient's graph reuses the forward's saved tensors.
        return torch.autograd.grad(new[] { loss }, new Tensor[] { _module.Weights }, retain_graph: true, create_graph: true)[0];
    }

    // Loads θ and the batch (the batch's tensors are cached: diagnostics call many times on one evaluation batch).
    private PromptTensors Prepare(ReadOnlySpan<double> parameters, PromptBatch batch)
    {
        CheckLength(parameters.Length, nameof(parameters));
        Guard.NotNull(batch);
        Guard.That(batch.Dimension == Model.Dimension, nameof(batch), $"batch has d = {batch.Dimension}, the model d = {Model.Dimension}.");
        _module.SetParameters(parameters);
        if (!ReferenceEquals(batch, _cachedBatch))
        {
            _cachedTensors?.Dispose();
            _cachedTensors = batch.ToTensors(_module.Device, Precision.Float64);
            _cachedBatch = batch;
        }
        return _cachedTensors!;
    }

    private void CheckLength(int length, string name)
        => Guard.That(length == Model.ParameterCount, name, $"{name} must hold {Model.ParameterCount} values, but held {length}.");

    private static void CopyOut(Tensor tensor, Span<double> destination)
        => tensor.detach().cpu().data<double>().CopyTo(destination);

    private static void Symmetrise(double[] matrix, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double mean = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
                matrix[i * n + j] = mean;
                matrix[j * n + i] = mean;
            }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cachedTensors?.Dispose();
        _module.Dispose();
    }
}
