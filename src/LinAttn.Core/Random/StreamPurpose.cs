namespace LinAttn.Random;

/// <summary>The purposes random streams are drawn for; part of every stream's name, so they never overlap.</summary>
public static class StreamPurpose
{
    /// <summary>Model initialisation.</summary>
    public const ulong Initialisation = 1;

    /// <summary>Training prompts (index = step).</summary>
    public const ulong Training = 2;

    /// <summary>The fixed evaluation batch.</summary>
    public const ulong Evaluation = 3;

    /// <summary>Fixed task structure, e.g. the random ReLU feature map or covariance rotation.</summary>
    public const ulong TaskStructure = 4;

    /// <summary>Diagnostics (minibatches for gradient noise, etc.).</summary>
    public const ulong Diagnostics = 5;

    /// <summary>User data shuffling (ML.NET trainer).</summary>
    public const ulong Shuffle = 6;
}
