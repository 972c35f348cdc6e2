namespace LinAttn.Diagnostics;

/// <summary>Which robust condition number R_med (Ahn et al. 2024 §2.3, after Jiang et al. 2022) to compute.</summary>
public enum RobustConditionDefinition
{
    /// <summary>
    /// The authors' code (the default): h = |diag ∇²f| and R = max(h) / lower-median(h), the lower median being element
    /// ⌊(P − 1)/2⌋ of the sorted values (<c>torch.median</c>). Also what Jiang et al. actually use (the paper's footnote).
    /// </summary>
    AbsoluteDiagonal = 0,

    /// <summary>
    /// The paper's definition with eigenvalues, λ_max/λ_median, computed on magnitudes: R = max |λ| / lower-median |λ|.
    /// Magnitudes because away from a minimum the Hessian is indefinite and the signed median can be ≤ 0; at a
    /// positive semi-definite Hessian this equals λ_max/λ_median.
    /// </summary>
    Eigenvalues = 1,
}
