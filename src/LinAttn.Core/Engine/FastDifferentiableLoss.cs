using LinAttn.Internal;
using LinAttn.Model;
using LinAttn.Tasks;

namespace LinAttn.Engine;

/// <summary>
/// <see cref="IDifferentiableLoss"/> on the fast engine in float64: exact analytic gradients; Hessian-vector products by
/// central differences of analytic gradients, H v ≈ (∇f(θ + εv̂) − ∇f(θ − εv̂)) ‖v‖ / (2ε) with v̂ = v/‖v‖ and
/// ε = 10⁻⁶ · max(1, ‖θ‖/√P); full Hessians by forward differences of analytic gradients along each coordinate,
/// H e_j ≈ (∇f(θ + ε e_j) − ∇f(θ)) / ε with ε = 10⁻⁸ · max(1, ‖θ‖/√P): P + 1 gradient evaluations instead of 2P.
/// The gradients run block by block (<see cref="FastModel.Hessian"/>): moving θ_j of layer ℓ changes nothing below ℓ,
/// so column j reruns the forward pass from ℓ up and the backward pass down to ℓ only, and the entries of lower layers'
/// rows come from their own (transposed) columns; within a layer the two one-sided differences are averaged.
/// Coordinates that cannot reach the prediction (the last layer's P in the Restricted parametrisation)
/// have exactly zero gradient at every θ, so their rows and columns are exactly zero and are not evaluated.
/// </summary>
/// <remarks>
/// Error against TorchSharp's exact double backward, on the paper's Setting 1 model after 1250 steps (seed 1, B = 1000
/// evaluation prompts, max |H| = 1.2 for Adam and 2.8 for SGDM): full Hessian max |H_fast − H_exact| / max |H| =
/// 1.8e-7 (Adam) and 1.2e-7 (SGDM), R_med 83.440419 vs 83.440425 and 53.560662 vs 53.560667; central differences of
/// the same Hessian columns at the HVP step 10⁻⁶ are within 4e-10. (The forward-difference error is truncation, O(ε);
/// below ε ≈ 10⁻⁸ rounding, O(10⁻¹⁶ ‖∇f‖/ε), takes over.)
/// </remarks>
public sealed class FastDifferentiableLoss : IDifferentiableLoss
{
    private readonly FastModel _model;

    /// <summary>Creates the loss (float64 computation whatever the architecture's precision).</summary>
    public FastDifferentiableLoss(ModelOptions model, int? threads = null)
        : this(model, threads, Precision.Float64)
    {
    }

    /// <summary>Creates the loss computing in <paramref name="computation"/>, whatever the architecture's precision.
    /// Float32 serves losses and gradients only (as in training: the gradient-noise diagnostic uses it, as the
    /// authors' code does); curvature by differences of float32 gradients would be noise, so
    /// <see cref="HessianVectorProduct"/> and <see cref="Hessian"/> then throw.</summary>
    public FastDifferentiableLoss(ModelOptions model, int? threads, Precision computation)
    {
        Guard.NotNull(model).Validate();
        Guard.That(Enum.IsDefined(computation), nameof(computation), $"computation must be Float32 or Float64, but was {computation}.");
        Model = model;
        Computation = computation;
        _model = new FastModel(model with { Precision = computation }, threads);
    }

    /// <inheritdoc />
    public ModelOptions Model { get; }

    /// <summary>The arithmetic of every loss and gradient (Float64 unless chosen otherwise).</summary>
    public Precision Computation { get; }

    /// <summary>Relative step of the central differences in <see cref="HessianVectorProduct"/>.</summary>
    public double RelativeStep { get; init; } = 1e-6;

    /// <summary>Relative step of the forward differences in <see cref="Hessian"/>.</summary>
    public double HessianRelativeStep { get; init; } = 1e-8;

    /// <summary>
    /// Whether <see cref="Hessian"/> computes its gradients block by block from each column's layer up
    /// (<see cref="FastModel.Hessian"/>; the default) instead of one whole gradient per column (kept for the feature
    /// MLP and for side-by-side benchmarks).
    /// </summary>
    internal bool LayeredHessian { get; init; } = true;

    /// <inheritdoc />
    public string HessianMethod => Computation == Precision.Float64
        ? $"forward differences of analytic float64 gradients (relative step {HessianRelativeStep:G2})"
        : "none (float32 gradients: losses and gradients only)";

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> parameters, PromptBatch batch)
    {
        CheckLength(parameters.Length, nameof(parameters));
        return _model.LossAndGradient(parameters, batch, Span<double>.Empty);
    }

    /// <inheritdoc />
    public double Gradient(ReadOnlySpan<double> parameters, PromptBatch batch, Span<double> gradient)
    {
        CheckLength(parameters.Length, nameof(parameters));
        CheckLength(gradient.Length, nameof(gradient));
        return _model.LossAndGradient(parameters, batch, gradient);
    }

    /// <inheritdoc />
    public void HessianVectorProduct(ReadOnlySpan<double> parameters, PromptBatch batch, ReadOnlySpan<double> direction, Span<double> result)
    {
        CheckLength(parameters.Length, nameof(parameters));
        CheckLength(direction.Length, nameof(direction));
        CheckLength(result.Length, nameof(result));
        CheckCurvature();
        double norm = 0;
        foreach (double v in direction) norm += v * v;
        norm = Math.Sqrt(norm);
        if (norm == 0)
        {
            result.Clear();
            return;
        }
        int p = parameters.Length;
        double epsilon = Step(parameters, RelativeStep);
        var shifted = new double[p];
        var plus = new double[p];
        var minus = new double[p];
        for (int i = 0; i < p; i++) shifted[i] = parameters[i] + epsilon * direction[i] / norm;
        _model.LossAndGradient(shifted, batch, plus);
        for (int i = 0; i < p; i++) shifted[i] = parameters[i] - epsilon * direction[i] / norm;
        _model.LossAndGradient(shifted, batch, minus);
        for (int i = 0; i < p; i++) result[i] = (plus[i] - minus[i]) * norm / (2 * epsilon);
    }

    /// <inheritdoc />
    public double[] Hessian(ReadOnlySpan<double> parameters, PromptBatch batch)
    {
        CheckLength(parameters.Length, nameof(parameters));
        CheckCurvature();
        if (LayeredHessian && _model.SupportsLayeredHessian(batch.BatchSize))
            return _model.Hessian(parameters, batch, Step(parameters, HessianRelativeStep), InertParameters(Model));
        int p = parameters.Length;
        var hessian = new double[p * p];
        var atTheta = new double[p];
        var shiftedGradient = new double[p];
        double[] shifted = parameters.ToArray();
        _model.Retain(batch);   // S₀ of every block is computed once for the P + 1 gradients
        try
        {
            _model.LossAndGradient(parameters, batch, atTheta);
            double epsilon = Step(parameters, HessianRelativeStep);
            bool[] inert = InertParameters(Model);
            for (int j = 0; j < p; j++)
            {
                if (inert[j]) continue;
                shifted[j] = parameters[j] + epsilon;
                double step = shifted[j] - parameters[j];   // the step actually taken, after rounding
                _model.LossAndGradient(shifted, batch, shiftedGradient);
                shifted[j] = parameters[j];
                for (int i = 0; i < p; i++) hessian[i * p + j] = (shiftedGradient[i] - atTheta[i]) / step;
            }
        }
        finally
        {
            _model.Retain(null);
        }
        FastModel.Symmetrize(hessian, p, new int[p]);   // every column complete: the mean of H and Hᵀ
        return hessian;
    }

    /// <summary>
    /// Parameters the prediction never reads, whatever θ: in the Restricted parametrisation the last layer's P only
    /// moves the tokens' x-coordinates, which no later layer sees (the fast kernel stops before computing A there).
    /// </summary>
    internal static bool[] InertParameters(ModelOptions model)
    {
        var inert = new bool[model.ParameterCount];
        if (model.Parametrization != Parametrization.Restricted) return inert;
        int top = model.Layers - 1, n = model.MatrixSize;
        for (int h = 0; h < model.Heads; h++)
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++) inert[model.Offset(top, h, 0, r, c)] = true;
        return inert;
    }

    private static double Step(ReadOnlySpan<double> parameters, double relative)
    {
        double norm = 0;
        foreach (double v in parameters) norm += v * v;
        return relative * Math.Max(1.0, Math.Sqrt(norm / parameters.Length));
    }

    private void CheckCurvature()
    {
        if (Computation != Precision.Float64)
            throw new InvalidOperationException(
                $"This loss computes in {Computation}: differences of its gradients are too coarse for Hessians. Create it with Precision.Float64 for curvature.");
    }

    private void CheckLength(int length, string name)
        => Guard.That(length == Model.ParameterCount, name, $"{name} must hold {Model.ParameterCount} values, but held {length}.");

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
