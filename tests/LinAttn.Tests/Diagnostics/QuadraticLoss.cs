using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;

namespace LinAttn.Tests.Diagnostics;

/// <summary>f(θ) = ½ θᵀAθ + bᵀθ with a known symmetric A (ignores the batch): a loss whose Hessian, spectrum,
/// directional smoothness and gradient are known in closed form.</summary>
internal sealed class QuadraticLoss : IDifferentiableLoss
{
    private readonly double[] _a, _b;

    public QuadraticLoss(ModelOptions model, double[] a, double[] b)
    {
        Model = model;
        _a = a;
        _b = b;
    }

    /// <summary>A = U diag(λ) Uᵀ with a random orthogonal U (Gram–Schmidt of Gaussian columns).</summary>
    public static QuadraticLoss WithSpectrum(ModelOptions model, double[] eigenvalues, ulong seed)
    {
        int p = model.ParameterCount;
        var random = CounterRandom.For(seed, 8001);
        var u = new double[p * p];
        random.FillGaussian(u);
        for (int c = 0; c < p; c++)
        {
            for (int prev = 0; prev < c; prev++)
            {
                double dot = 0;
                for (int r = 0; r < p; r++) dot += u[r * p + c] * u[r * p + prev];
                for (int r = 0; r < p; r++) u[r * p + c] -= dot * u[r * p + prev];
            }
            double norm = Math.Sqrt(Enumerable.Range(0, p).Sum(r => u[r * p + c] * u[r * p + c]));
            for (int r = 0; r < p; r++) u[r * p + c] /= norm;
        }
        var a = new double[p * p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                for (int k = 0; k < p; k++) a[i * p + j] += u[i * p + k] * eigenvalues[k] * u[j * p + k];
        var b = new double[p];
        random.FillGaussian(b);
        return new QuadraticLoss(model, a, b);
    }

    public double[] A => _a;

    public ModelOptions Model { get; }

    public string HessianMethod => "closed form";

    public int GradientCalls { get; private set; }

    public double Loss(ReadOnlySpan<double> parameters, PromptBatch batch)
    {
        int p = _b.Length;
        double f = 0;
        for (int i = 0; i < p; i++)
        {
            double row = 0;
            for (int j = 0; j < p; j++) row += _a[i * p + j] * parameters[j];
            f += 0.5 * parameters[i] * row + _b[i] * parameters[i];
        }
        return f;
    }

    public double Gradient(ReadOnlySpan<double> parameters, PromptBatch batch, Span<double> gradient)
    {
        GradientCalls++;
        HessianVectorProduct(parameters, batch, parameters, gradient);
        for (int i = 0; i < _b.Length; i++) gradient[i] += _b[i];
        return Loss(parameters, batch);
    }

    public void HessianVectorProduct(ReadOnlySpan<double> parameters, PromptBatch batch, ReadOnlySpan<double> direction, Span<double> result)
    {
        int p = _b.Length;
        for (int i = 0; i < p; i++)
        {
            double row = 0;
            for (int j = 0; j < p; j++) row += _a[i * p + j] * direction[j];
            result[i] = row;
        }
    }

    public double[] Hessian(ReadOnlySpan<double> parameters, PromptBatch batch) => (double[])_a.Clone();

    public void Dispose()
    {
    }
}
