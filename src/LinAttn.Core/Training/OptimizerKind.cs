namespace LinAttn.Training;

/// <summary>The optimizers the library trains with.</summary>
public enum OptimizerKind
{
    /// <summary>Plain SGD: θ ← θ − η g.</summary>
    Sgd = 0,

    /// <summary>SGD with heavy-ball momentum, PyTorch convention (buf ← μ buf + g, first buf = g; θ ← θ − η buf).
    /// The paper's "SGD"/"SGDM" with μ = 0.9.</summary>
    SgdMomentum = 1,

    /// <summary>Adam (Kingma and Ba) with bias correction; weight decay, if any, is added to the gradient.</summary>
    Adam = 2,

    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW = 3,

    /// <summary>RMSprop (PyTorch convention: smoothing α, no centring).</summary>
    RmsProp = 4,

    /// <summary>Adagrad.</summary>
    Adagrad = 5,

    /// <summary>Sign SGD (signSGD / Signum with momentum): θ ← θ − η sign(m), m ← μ m + (1 − μ) g.</summary>
    SignSgd = 6,

    /// <summary>Normalized SGD: θ ← θ − η m / ‖m‖ over all parameters, m ← μ m + g.</summary>
    NormalizedSgd = 7,
}
