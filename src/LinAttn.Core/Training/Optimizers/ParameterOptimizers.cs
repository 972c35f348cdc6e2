namespace LinAttn.Training.Optimizers;

/// <summary>Creates the managed optimizer for an <see cref="OptimizerOptions"/>.</summary>
public static class ParameterOptimizers
{
    /// <summary>The optimizer named by <paramref name="options"/> (validated) for <paramref name="parameterCount"/> parameters.</summary>
    public static IParameterOptimizer Create(OptimizerOptions options, int parameterCount)
    {
        options.Validate();
        return options.Kind switch
        {
            OptimizerKind.Sgd or OptimizerKind.SgdMomentum => new SgdOptimizer(options, parameterCount),
            OptimizerKind.Adam or OptimizerKind.AdamW => new AdamOptimizer(options, parameterCount),
            OptimizerKind.RmsProp => new RmsPropOptimizer(options, parameterCount),
            OptimizerKind.Adagrad => new AdagradOptimizer(options, parameterCount),
            OptimizerKind.SignSgd => new SignSgdOptimizer(options, parameterCount),
            OptimizerKind.NormalizedSgd => new NormalizedSgdOptimizer(options, parameterCount),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, $"Optimizer {options.Kind} is not supported."),
        };
    }
}
