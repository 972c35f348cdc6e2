namespace LinAttn.Training;

/// <summary>Which compute engine trains the model.</summary>
public enum EngineKind
{
    /// <summary>The fastest engine that supports the configuration: <see cref="Fast"/> for linear attention on the CPU,
    /// otherwise <see cref="TorchSharp"/>.</summary>
    Auto = 0,

    /// <summary>The managed SIMD engine (<see cref="Engine.FastBackend"/>): linear attention (identity scores), CPU.</summary>
    Fast = 1,

    /// <summary>TorchSharp with autograd (<see cref="TorchSharpBackend"/>): every activation and device.</summary>
    TorchSharp = 2,
}
