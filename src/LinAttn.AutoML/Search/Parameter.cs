using System.Globalization;
using System.Text.Json;
using LinAttn.AutoML.Internal;
using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>
/// One configuration (ML.NET AutoML's <c>Parameter</c>): the optimizer's name and kind and a value for every option
/// (searched and fixed), by name. Immutable; values are full double precision.
/// </summary>
public sealed class Parameter : IEquatable<Parameter>
{
    private readonly SortedDictionary<string, double> _values;

    /// <summary>Creates a configuration.</summary>
    public Parameter(string optimizer, OptimizerKind kind, IEnumerable<KeyValuePair<string, double>> values)
    {
        Optimizer = Guard.NotNull(optimizer);
        Kind = kind;
        _values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var kv in values) _values[kv.Key] = kv.Value;
    }

    /// <summary>The optimizer's name in the search space.</summary>
    public string Optimizer { get; }

    /// <summary>The optimizer.</summary>
    public OptimizerKind Kind { get; }

    /// <summary>Every option value, by name (sorted).</summary>
    public IReadOnlyDictionary<string, double> Values => _values;

    /// <summary>The learning rate.</summary>
    public double LearningRate => this["LearningRate"];

    /// <summary>The value of option <paramref name="name"/>.</summary>
    public double this[string name] => _values.TryGetValue(name, out double v) ? v
        : throw new KeyNotFoundException($"The configuration of '{Optimizer}' has no option '{name}'. Options: {string.Join(", ", _values.Keys)}.");

    /// <summary>True when option <paramref name="name"/> is set.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A copy with one option changed.</summary>
    public Parameter With(string name, double value)
    {
        var copy = new SortedDictionary<string, double>(_values, StringComparer.Ordinal) { [name] = value };
        return new Parameter(Optimizer, Kind, copy);
    }

    /// <summary>Canonical JSON: {"optimizer":..,"kind":..,"values":{..}} with round-trip doubles.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dto(Optimizer, Kind, _values), Json.Options);

    /// <summary>Reads <see cref="ToJson"/>.</summary>
    public static Parameter FromJson(string json)
    {
        Dto dto = JsonSerializer.Deserialize<Dto>(json, Json.Options) ?? throw new JsonException("The JSON holds no configuration.");
        return new Parameter(dto.Optimizer, dto.Kind, dto.Values);
    }

    /// <summary>e.g. "adam lr=0.0123".</summary>
    public override string ToString()
        => $"{Optimizer} lr={LearningRate.ToString("G4", CultureInfo.InvariantCulture)}" +
           string.Concat(_values.Where(kv => kv.Key != "LearningRate").Select(kv => $" {kv.Key}={kv.Value.ToString("G4", CultureInfo.InvariantCulture)}"));

    /// <inheritdoc />
    public bool Equals(Parameter? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Parameter);

    /// <inheritdoc />
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    private sealed record Dto(string Optimizer, OptimizerKind Kind, SortedDictionary<string, double> Values);
}
