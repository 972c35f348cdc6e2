namespace LinAttn.AutoML;

/// <summary>The metric reported for trials (ML.NET AutoML's regression metric names). Every choice ranks trials the same
/// way, since each is a monotone function of the mean squared error on the same fixed evaluation batch.</summary>
public enum RegressionMetric
{
    /// <summary>Mean squared error on the fixed evaluation batch (the training loss; lower is better). Default.</summary>
    MeanSquaredError = 0,

    /// <summary>√MSE.</summary>
    RootMeanSquaredError = 1,

    /// <summary>1 − MSE / Var(y) on the evaluation batch (higher is better).</summary>
    RSquared = 2,
}
