namespace LinAttn.Training;

/// <summary>
/// The part of a training step after the gradient is known, shared by every engine: gradient norm, finiteness checks,
/// global-norm clipping (the authors' rule g ← g·c/‖g‖ when ‖g‖ &gt; c, no ε), the optimizer update, and the rollback
/// of an update that produced a non-finite weight.
/// </summary>
internal static class ParameterUpdate
{
    public static StepOutcome Apply(double loss, Span<double> parameters, Span<double> gradient, double? clipThreshold,
        Optimizers.IParameterOptimizer optimizer, double learningRate, Span<double> backup)
    {
        double squared = 0;
        foreach (double g in gradient) squared += g * g;
        double norm = Math.Sqrt(squared);
        if (!double.IsFinite(loss)) return new StepOutcome(loss, norm, StepFailure.NonFiniteLoss);
        if (!double.IsFinite(norm)) return new StepOutcome(loss, norm, StepFailure.NonFiniteGradient);
        if (clipThreshold is double c && norm > c)
        {
            double scale = c / norm;
            for (int i = 0; i < gradient.Length; i++) gradient[i] *= scale;
        }
        parameters.CopyTo(backup);
        optimizer.Step(parameters, gradient, learningRate);
        foreach (double p in parameters)
        {
            if (!double.IsFinite(p))
            {
                backup.CopyTo(parameters);
                return new StepOutcome(loss, norm, StepFailure.NonFiniteWeights);
            }
        }
        return new StepOutcome(loss, norm, StepFailure.None);
    }
}
