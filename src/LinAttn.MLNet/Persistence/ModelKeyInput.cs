using System.ComponentModel;

namespace LinAttn.MLNet.Persistence;

/// <summary>Part of the saved-model format (input of the model-key mapping; it reads no column). Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModelKeyInput
{
}
