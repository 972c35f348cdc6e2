using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinAttn.AutoML.Internal;

namespace LinAttn.AutoML;

/// <summary>
/// The whole search space of an experiment: one conditional sub-space per optimizer (<see cref="Optimizers"/>) and the
/// options shared by all of them (<see cref="Shared"/>, searched, and <see cref="SharedFixed"/>). A configuration is a
/// <see cref="Parameter"/>: an optimizer name plus a value for every option of its sub-space and the shared one.
/// </summary>
public sealed class SearchSpace
{
    internal SearchSpace(IReadOnlyList<OptimizerSpace> optimizers, IReadOnlyList<Dimension> shared, IReadOnlyDictionary<string, double> sharedFixed)
    {
        Optimizers = optimizers;
        Shared = shared;
        SharedFixed = sharedFixed;
    }

    /// <summary>The optimizers, in the order they were added.</summary>
    public IReadOnlyList<OptimizerSpace> Optimizers { get; }

    /// <summary>Searched options shared by every optimizer.</summary>
    public IReadOnlyList<Dimension> Shared { get; }

    /// <summary>Fixed options shared by every optimizer.</summary>
    public IReadOnlyDictionary<string, double> SharedFixed { get; }

    /// <summary>The sub-space called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No optimizer has that name; the message lists the names.</exception>
    public OptimizerSpace this[string name] => Optimizers.FirstOrDefault(o => o.Name == name)
        ?? throw new ArgumentOutOfRangeException(nameof(name), $"The search space has no optimizer '{name}'. Known: {string.Join(", ", Optimizers.Select(o => o.Name))}.");

    /// <summary>The searched dimensions of an optimizer followed by the shared ones: the tuners' unit cube.</summary>
    public IReadOnlyList<Dimension> DimensionsOf(string optimizer) => this[optimizer].Dimensions.Concat(Shared).ToArray();

    /// <summary>The configuration at unit-cube point <paramref name="unit"/> of <see cref="DimensionsOf"/>.</summary>
    public Parameter FromUnit(string optimizer, ReadOnlySpan<double> unit)
    {
        OptimizerSpace o = this[optimizer];
        IReadOnlyList<Dimension> dims = DimensionsOf(optimizer);
        if (unit.Length != dims.Count) throw new ArgumentOutOfRangeException(nameof(unit), $"unit must hold {dims.Count} coordinates, but held {unit.Length}.");
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var kv in SharedFixed) values[kv.Key] = kv.Value;
        foreach (var kv in o.Fixed) values[kv.Key] = kv.Value;
        for (int i = 0; i < dims.Count; i++) values[dims[i].Name] = dims[i].FromUnit(unit[i]);
        return new Parameter(optimizer, o.Kind, values);
    }

    /// <summary>The configuration with every searched option at its default, and the learning rate given.</summary>
    public Parameter Default(string optimizer, double? learningRate = null)
    {
        IReadOnlyList<Dimension> dims = DimensionsOf(optimizer);
        double[] unit = dims.Select(d => d.ToUnit(d.Default)).ToArray();
        Parameter p = FromUnit(optimizer, unit);
        return learningRate is double lr ? p.With("LearningRate", lr) : p;
    }

    /// <summary>The unit-cube coordinates of <paramref name="parameter"/>.</summary>
    public double[] ToUnit(Parameter parameter)
        => DimensionsOf(parameter.Optimizer).Select(d => d.ToUnit(parameter[d.Name])).ToArray();

    /// <summary>A canonical JSON description (stored with the study).</summary>
    public string ToJson() => JsonSerializer.Serialize(new { optimizers = Optimizers, shared = Shared, sharedFixed = new SortedDictionary<string, double>(SharedFixed.ToDictionary(k => k.Key, k => k.Value)) }, Json.Options);

    /// <summary>SHA-256 of <see cref="ToJson"/> (hex): a study database refuses to continue under another space.</summary>
    public string Hash() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson()))).ToLowerInvariant();
}
