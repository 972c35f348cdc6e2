namespace LinAttn.Diagnostics;

/// <summary>A Hill estimate of a right-tail index α (P(X &gt; x) ≈ C x^(−α)); smaller α means a heavier tail.</summary>
/// <param name="TailIndex">α̂ = 1/ξ̂ with ξ̂ = (1/k) Σ_{i=1..k} ln(X_(i)/X_(k+1)) over the descending order statistics.</param>
/// <param name="K">Number k of upper order statistics used.</param>
/// <param name="Threshold">X_(k+1), the tail threshold.</param>
/// <param name="StandardError">Asymptotic standard error α̂/√k (valid for a Pareto-type tail, k → ∞, k/n → 0).</param>
/// <param name="SampleSize">n.</param>
public sealed record HillEstimate(double TailIndex, int K, double Threshold, double StandardError, int SampleSize);
