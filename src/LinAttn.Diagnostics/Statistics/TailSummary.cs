namespace LinAttn.Diagnostics;

/// <summary>How heavy-tailed a sample is: moments, quantile ratios and a Hill tail index (see <see cref="Tails"/>).</summary>
public sealed record TailSummary
{
    /// <summary>Sample size n.</summary>
    public int Count { get; init; }

    /// <summary>Sample mean.</summary>
    public double Mean { get; init; }

    /// <summary>Sample standard deviation (1/(n − 1)).</summary>
    public double StandardDeviation { get; init; }

    /// <summary>Smallest value.</summary>
    public double Minimum { get; init; }

    /// <summary>Largest value.</summary>
    public double Maximum { get; init; }

    /// <summary>Median q_0.5 (type 7: the mean of the two middle values for even n).</summary>
    public double Median { get; init; }

    /// <summary>Skewness g₁ = m₃/m₂^{3/2}; &gt; 0 means right-skewed.</summary>
    public double Skewness { get; init; }

    /// <summary>Excess kurtosis g₂ = m₄/m₂² − 3; &gt; 0 means heavier tails than a normal law.</summary>
    public double ExcessKurtosis { get; init; }

    /// <summary>q_0.9 / q_0.5.</summary>
    public double Ratio90 { get; init; }

    /// <summary>q_0.99 / q_0.5.</summary>
    public double Ratio99 { get; init; }

    /// <summary>q_0.999 / q_0.5.</summary>
    public double Ratio999 { get; init; }

    /// <summary>The Hill estimate of the right-tail index, or null when the sample is not positive or too small.</summary>
    public HillEstimate? Hill { get; init; }
}
