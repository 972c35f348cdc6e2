using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Studies;
using LinAttn.Model;
using LinAttn.Training;

namespace LinAttn.Cli.Reproduction;

/// <summary>
/// Rough costs (milliseconds on the TorchSharp engine, 2 cores) of the units of a study, only to weight the progress bar
/// so its ETA is sensible. Measured anchors (docs/performance.md, docs/diagnostics.md): a training step of the base model
/// at B = 1000 ≈ 4.5 ms; a fresh float64 minibatch gradient ≈ 2 steps (float32: 1); a Hessian ≈ 2.2·P steps; an HVP plus a
/// gradient ≈ 7 steps.
/// </summary>
internal static class CostModel
{
    public static double Step(RunSpec spec)
    {
        ModelOptions m = spec.Model;
        double width = Math.Pow((m.Dimension + 1) / 6.0, 2) * Math.Max(1, spec.Task.ContextLength / 20.0);
        double kind = m.Activation == ScoreActivation.Identity ? 1 : 3;
        return 4.5 * spec.Training.BatchSize / 1000.0 * m.Layers / 3.0 * width * kind;
    }

    /// <summary>Weights of the phases of one run: training, Hessians, smoothness.</summary>
    public static (double Training, double Hessian, double Smoothness) Run(RunSpec spec, TrajectoryOptions options)
    {
        double step = Step(spec), evaluation = step * spec.Training.EvaluationBatchSize / spec.Training.BatchSize;
        int steps = spec.Training.Steps;
        return (step * steps,
                options.ConditionSteps.Count(t => t <= steps) * 2.2 * spec.Model.ParameterCount * evaluation,
                options.SmoothnessSteps.Count(t => t < steps) * 7 * evaluation);
    }

    public static double Noise(RunSpec spec, GradientNoiseOptions options)
        => (options.Precision == Precision.Float64 ? 2 : 1) * Step(spec) * options.MinibatchSize / spec.Training.BatchSize * (options.Minibatches + options.LargeBatchMultiple);
}
