namespace LinAttn.Model;

/// <summary>Floating-point precision of the model's parameters and computation.</summary>
public enum Precision
{
    /// <summary>32-bit floats: the default, as in the paper's runs.</summary>
    Float32 = 0,

    /// <summary>64-bit floats: for Hessian diagnostics and parity tests.</summary>
    Float64 = 1,
}
