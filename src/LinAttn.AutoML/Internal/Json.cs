using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinAttn.AutoML.Internal;

/// <summary>The JSON settings of the study files: round-trip doubles, NaN and infinities as named literals.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
