using Microsoft.ML.Data;

namespace LinAttn.Examples.MLNet;

/// <summary>One in-context regression prompt as an app would store it: n = 20 context pairs (x_i ∈ R^5, y_i) and a
/// query x_q, with the query's true label.</summary>
public sealed class Prompt
{
    /// <summary>x_1, ..., x_20, one after the other (100 values).</summary>
    [VectorType(100)] public float[] ContextX = Array.Empty<float>();

    /// <summary>y_1, ..., y_20.</summary>
    [VectorType(20)] public float[] ContextY = Array.Empty<float>();

    /// <summary>x_q.</summary>
    [VectorType(5)] public float[] QueryX = Array.Empty<float>();

    /// <summary>The query's label y_q (unknown at prediction time).</summary>
    public float Label;
}
