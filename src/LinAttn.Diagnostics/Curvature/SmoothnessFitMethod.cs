namespace LinAttn.Diagnostics;

/// <summary>How <see cref="GeneralizedSmoothness"/> fits DS ≤ L0 + L1·‖∇f‖.</summary>
public enum SmoothnessFitMethod
{
    /// <summary>The tightest line above every point: minimise Σ_i (L0 + L1 g_i − s_i) subject to L0 + L1 g_i ≥ s_i
    /// for all i and L0, L1 ≥ 0 (a linear programme; its optimum touches the upper convex hull). Sensitive to outliers.</summary>
    UpperEnvelope = 0,

    /// <summary>Linear quantile regression at level τ with L0, L1 ≥ 0: minimise Σ_i ρ_τ(s_i − L0 − L1 g_i),
    /// ρ_τ(r) = r(τ − 1[r &lt; 0]). About a fraction τ of the points lies below the line; robust to outliers.</summary>
    Quantile = 1,
}
