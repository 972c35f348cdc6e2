using System.Reflection;
using LinAttn.AutoML.Internal;
using Microsoft.ML.SearchSpace;

namespace LinAttn.AutoML;

/// <summary>
/// Reads a search space from an options class the ML.NET way: a property with <see cref="RangeAttribute"/>,
/// <see cref="ChoiceAttribute"/> or <see cref="BooleanChoiceAttribute"/> is searched, <see cref="NestOptionAttribute"/>
/// flattens a nested options object, every other settable numeric or boolean property is fixed at its value.
/// RangeAttribute's bounds are not public properties in ML.NET 5, so they are read from the attribute's constructor
/// arguments (the public CustomAttributeData API).
/// </summary>
internal static class SearchSpaceReader
{
    public static (List<Dimension> Searched, Dictionary<string, double> Fixed) Read(Type type, object? instance)
    {
        var searched = new List<Dimension>();
        var fixedValues = new Dictionary<string, double>(StringComparer.Ordinal);
        instance ??= Activator.CreateInstance(type)
            ?? throw new ArgumentOutOfRangeException(nameof(type), $"Options type {type.Name} must have a public parameterless constructor.");
        foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead).OrderBy(p => p.MetadataToken))
        {
            if (p.GetCustomAttribute<NestOptionAttribute>() is not null)
            {
                object? nested = p.GetValue(instance) ?? Activator.CreateInstance(p.PropertyType);
                var (s, f) = Read(p.PropertyType, nested);
                searched.AddRange(s);
                foreach (var kv in f) fixedValues[kv.Key] = kv.Value;
                continue;
            }
            if (!IsNumeric(p.PropertyType)) continue;
            Dimension? d = ReadAttribute(type, p);
            if (d is not null) searched.Add(d);
            else fixedValues[p.Name] = ToDouble(p.GetValue(instance), type, p.Name);
        }
        return (searched, fixedValues);
    }

    private static Dimension? ReadAttribute(Type owner, PropertyInfo p)
    {
        foreach (CustomAttributeData data in p.GetCustomAttributesData())
        {
            if (data.AttributeType == typeof(RangeAttribute)) return Range(owner, p, data);
            if (data.AttributeType == typeof(BooleanChoiceAttribute))
            {
                bool def = data.ConstructorArguments.Count > 0 && data.ConstructorArguments[0].Value is bool b && b;
                return new Dimension(p.Name, DimensionKind.Boolean, 0, 1, false, true, new double[] { 0, 1 }, def ? 1 : 0);
            }
            if (data.AttributeType == typeof(ChoiceAttribute))
            {
                var attribute = p.GetCustomAttribute<ChoiceAttribute>()!;
                double[] candidates = attribute.Candidates.Select(c => ToDouble(c, owner, p.Name)).ToArray();
                Guard.That(candidates.Length > 0, p.Name, $"[Choice] on {owner.Name}.{p.Name} must list at least one candidate.");
                double def = attribute.DefaultValue is null ? candidates[0] : ToDouble(attribute.DefaultValue, owner, p.Name);
                return new Dimension(p.Name, DimensionKind.Choice, candidates.Min(), candidates.Max(), false, false, candidates, def);
            }
        }
        return null;
    }

    private static Dimension Range(Type owner, PropertyInfo p, CustomAttributeData data)
    {
        var args = data.ConstructorArguments;
        double min = Convert.ToDouble(args[0].Value, System.Globalization.CultureInfo.InvariantCulture);
        double max = Convert.ToDouble(args[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        bool hasInit = args.Count == 4;
        double? init = hasInit ? Convert.ToDouble(args[2].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        bool log = args[^1].Value is bool b && b;
        bool integer = args[0].ArgumentType == typeof(int);
        CheckRange(p.Name, min, max, log, $"{owner.Name}.{p.Name}");
        Dimension d = Dimension.Range(p.Name, min, max, log, init);
        return d with { Integer = integer };
    }

    /// <summary>Validates a range: finite, min &lt; max, and min &gt; 0 on a log scale (always for a learning rate).</summary>
    public static void CheckRange(string name, double min, double max, bool log, string where)
    {
        bool positive = log || name == "LearningRate";
        if (!double.IsFinite(min) || !double.IsFinite(max) || min >= max || (positive && min <= 0))
        {
            string rule = positive ? "0 < min < max" : "min < max";
            throw new ArgumentOutOfRangeException(name,
                $"The {name} range of {where} must satisfy {rule}, but was [{Guard.F(min)}, {Guard.F(max)}].");
        }
    }

    private static bool IsNumeric(Type t) => t == typeof(double) || t == typeof(float) || t == typeof(int) || t == typeof(long) || t == typeof(bool)
        || t == typeof(double?) || t == typeof(float?) || t == typeof(int?);

    private static double ToDouble(object? value, Type owner, string name) => value switch
    {
        null => double.NaN,
        bool b => b ? 1 : 0,
        IConvertible c when value is not string => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(name, $"{owner.Name}.{name}: only numeric and boolean options can be searched, but found '{value}'."),
    };
}
