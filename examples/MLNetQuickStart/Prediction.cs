namespace LinAttn.Examples.MLNet;

/// <summary>What the PredictionEngine returns.</summary>
public sealed class Prediction
{
    /// <summary>ŷ, the predicted label of the query.</summary>
    public float Score;
}
