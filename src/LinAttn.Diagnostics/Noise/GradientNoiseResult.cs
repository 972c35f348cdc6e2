namespace LinAttn.Diagnostics;

/// <summary>What <see cref="GradientNoise"/> measured: the noise norms ‖g_B − g_full‖ and their tail statistics.</summary>
public sealed class GradientNoiseResult
{
    internal GradientNoiseResult(GradientNoiseOptions options, double[] norms, double[] fullGradient, double seconds)
    {
        Options = options;
        Norms = norms;
        FullGradient = fullGradient;
        FullGradientNorm = Math.Sqrt(fullGradient.Sum(g => g * g));
        Seconds = seconds;
        Tails = Diagnostics.Tails.Summarize(norms, options.HillK);
        Histogram = Histogram.Build(norms, options.Bins);
        QuantilePlot = NormalQuantilePlot.Compute(norms, options.QuantilePlotPoints);
    }

    /// <summary>The options used.</summary>
    public GradientNoiseOptions Options { get; }

    /// <summary>‖g_{B,i} − g_full‖₂ for each minibatch i (Euclidean norm over all P parameters).</summary>
    public IReadOnlyList<double> Norms { get; }

    /// <summary>The full gradient on LargeBatchMultiple·B prompts.</summary>
    public IReadOnlyList<double> FullGradient { get; }

    /// <summary>‖g_full‖₂.</summary>
    public double FullGradientNorm { get; }

    /// <summary>Moments, quantile ratios and Hill index of <see cref="Norms"/>.</summary>
    public TailSummary Tails { get; }

    /// <summary>Density histogram of <see cref="Norms"/> (the paper's panel).</summary>
    public Histogram Histogram { get; }

    /// <summary>Normal Q-Q data of <see cref="Norms"/>.</summary>
    public NormalQuantilePlot QuantilePlot { get; }

    /// <summary>Wall-clock seconds of the measurement.</summary>
    public double Seconds { get; }
}
