using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinAttn.MLNet.Internal;
using LinAttn.Model;

namespace LinAttn.MLNet.Persistence;

/// <summary>
/// The serialized model carried inside the ML.NET zip (as the value of the value map): a JSON object with the format
/// name and version, the architecture, the prompt geometry, the column names used in messages, the parameters as
/// base64 little-endian float64 (bit-exact) and their SHA-256.
/// </summary>
internal sealed record ModelPayload(ModelOptions Model, int ContextLength, PromptLayout Layout, string FeatureColumnName,
    string? ContextLengthColumnName, double[] Parameters)
{
    /// <summary>The format name written in every payload.</summary>
    public const string FormatName = "LinAttn.MLNet.LinearAttentionModel";

    /// <summary>The version this build writes; it reads every version up to this one.</summary>
    public const int CurrentFormatVersion = 1;

    public PromptShape Shape => new(Model.Dimension, ContextLength, Layout);

    /// <summary>Serializes with <see cref="CurrentFormatVersion"/> (or another version, for tests of the reader).</summary>
    public string Serialize(int formatVersion = CurrentFormatVersion)
    {
        byte[] bytes = ParameterBytes(Parameters);
        var json = new JsonObject
        {
            ["format"] = FormatName,
            ["formatVersion"] = formatVersion,
            ["dimension"] = Model.Dimension,
            ["contextLength"] = ContextLength,
            ["layers"] = Model.Layers,
            ["heads"] = Model.Heads,
            ["parametrization"] = Model.Parametrization.ToString(),
            ["activation"] = Model.Activation.ToString(),
            ["initStd"] = Model.InitStd,
            ["precision"] = Model.Precision.ToString(),
            ["layout"] = Layout.ToString(),
            ["featureColumnName"] = FeatureColumnName,
            ["contextLengthColumnName"] = ContextLengthColumnName,
            ["parameterCount"] = Parameters.Length,
            ["parameters"] = Convert.ToBase64String(bytes),
            ["sha256"] = Convert.ToHexString(SHA256.HashData(bytes)),
        };
        return json.ToJsonString();
    }

    /// <summary>Parses a payload; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static ModelPayload Parse(string text)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject ?? throw Bad("it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The LinAttn model stored in the ML.NET model is corrupt or truncated: {e.Message}", e);
        }
        string format = Get<string>(json, "format");
        if (format != FormatName) throw Bad($"format must be '{FormatName}', but was '{format}'");
        int version = Get<int>(json, "formatVersion");
        if (version > CurrentFormatVersion)
            throw new InvalidDataException(
                $"The LinAttn model was saved with format version {version}, but this LinAttn.MLNet ({typeof(ModelPayload).Assembly.GetName().Version}) " +
                $"reads format versions up to {CurrentFormatVersion}. Update the LinAttn.MLNet package to load it.");
        if (version < 1) throw Bad($"formatVersion must be ≥ 1, but was {version}");

        var model = new ModelOptions
        {
            Dimension = Get<int>(json, "dimension"),
            Layers = Get<int>(json, "layers"),
            Heads = Get<int>(json, "heads"),
            Parametrization = ParseEnum<Parametrization>(json, "parametrization"),
            Activation = ParseEnum<ScoreActivation>(json, "activation"),
            InitStd = Get<double>(json, "initStd"),
            Precision = ParseEnum<Precision>(json, "precision"),
        };
        try
        {
            model.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Bad(e.Message);
        }
        int contextLength = Get<int>(json, "contextLength");
        if (contextLength < 1) throw Bad($"contextLength must be ≥ 1, but was {contextLength}");
        int count = Get<int>(json, "parameterCount");
        if (count != model.ParameterCount)
            throw Bad($"parameterCount is {count}, but the architecture needs {model.ParameterCount}");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(Get<string>(json, "parameters"));
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"The LinAttn model stored in the ML.NET model is corrupt: the parameters are not base64 ({e.Message}).", e);
        }
        if (bytes.Length != count * sizeof(double))
            throw Bad($"the parameters hold {bytes.Length} bytes, but {count} float64 values need {count * sizeof(double)}");
        string expectedHash = Get<string>(json, "sha256");
        if (!string.Equals(Convert.ToHexString(SHA256.HashData(bytes)), expectedHash, StringComparison.OrdinalIgnoreCase))
            throw Bad("the parameters do not match their SHA-256 checksum");
        var parameters = new double[count];
        for (int i = 0; i < count; i++)
            parameters[i] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * sizeof(double))));
        return new ModelPayload(model, contextLength, ParseEnum<PromptLayout>(json, "layout"),
            Get<string>(json, "featureColumnName"), json["contextLengthColumnName"]?.GetValue<string>(), parameters);
    }

    private static byte[] ParameterBytes(double[] parameters)
    {
        var bytes = new byte[parameters.Length * sizeof(double)];
        for (int i = 0; i < parameters.Length; i++)
        {
            long bits = BitConverter.DoubleToInt64Bits(parameters[i]);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(double)), bits);
        }
        return bytes;
    }

    private static T Get<T>(JsonObject json, string name)
    {
        JsonNode? node = json[name] ?? throw Bad($"the field '{name}' is missing");
        try
        {
            return node.GetValue<T>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Bad($"the field '{name}' must be a {typeof(T).Name}, but was {node.ToJsonString()}");
        }
    }

    private static TEnum ParseEnum<TEnum>(JsonObject json, string name) where TEnum : struct, Enum
    {
        string value = Get<string>(json, name);
        return Enum.TryParse(value, ignoreCase: false, out TEnum parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw Bad($"the field '{name}' must be one of {string.Join(", ", Enum.GetNames<TEnum>())}, but was '{value}'");
    }

    private static InvalidDataException Bad(string what)
        => new(string.Create(CultureInfo.InvariantCulture, $"The LinAttn model stored in the ML.NET model is corrupt: {what}."));
}
