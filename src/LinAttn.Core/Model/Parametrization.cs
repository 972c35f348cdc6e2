namespace LinAttn.Model;

/// <summary>How each layer's value matrix P and score matrix Q are built from the trainable parameters.</summary>
/// <remarks>
/// Notation of Ahn et al. (2024): tokens z = (x, y) ∈ R^(d+1); P_full, Q_full ∈ R^((d+1)×(d+1)).
/// The parameter tensor has shape [L, H, m, k, k]; index 0 of the third axis is P, index 1 is Q.
/// </remarks>
public enum Parametrization
{
    /// <summary>
    /// P_full = [[P, 0], [0, 1]], Q_full = [[Q, 0], [0, 0]] with trainable P, Q ∈ R^(d×d): what the paper's runs train
    /// (Ahn et al. 2023, eq. 11). Shape [L, H, 2, d, d]; 150 parameters for L = 3, H = 1, d = 5.
    /// </summary>
    Restricted = 0,

    /// <summary>Dense P_full, Q_full ∈ R^((d+1)×(d+1)), no fixed entries. Shape [L, H, 2, d+1, d+1].</summary>
    Full = 1,

    /// <summary>
    /// Restricted with the top-left P block fixed at 0: P_full = [[0, 0], [0, 1]], Q_full = [[Q, 0], [0, 0]]. Each layer is
    /// exactly one preconditioned gradient-descent step w ← w + Q∇R(w), i.e. w ← w − A∇R(w) with Q = −A in our Q
    /// convention (Ahn et al. 2023, Lemma 1).
    /// Only Q is stored: shape [L, H, 1, d, d].
    /// </summary>
    PreconditionedGd = 2,
}
