using System.Globalization;
using System.Runtime.CompilerServices;

namespace LinAttn.MLNet.Internal;

/// <summary>
/// Argument and schema checks with ML.NET's message formats and exception types: options and schema problems throw
/// <see cref="ArgumentOutOfRangeException"/> (as ML.NET's <c>CheckUserArg</c> and <c>ExceptSchemaMismatch</c> do),
/// wrong state throws <see cref="InvalidOperationException"/>. Every message names the option or column, what was
/// expected and what was found.
/// </summary>
internal static class Guard
{
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string name = "") where T : class
        => value ?? throw new ArgumentNullException(name);

    public static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, but was {value}.");
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number, but was {Format(value)}.");
    }

    public static void NonNegative(int value, string name)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative, but was {value}.");
    }

    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a non-negative finite number, but was {Format(value)}.");
    }

    public static void InRange(double value, double minInclusive, double maxExclusive, string name)
    {
        if (!(value >= minInclusive && value < maxExclusive))
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be in [{Format(minInclusive)}, {Format(maxExclusive)}), but was {Format(value)}.");
    }

    public static void Defined<TEnum>(TEnum value, string name) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}, but was {value}.");
    }

    public static void NotEmpty(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must name a column, but was empty.");
    }

    public static void That(bool condition, string name, string message)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, message);
    }

    /// <summary>ML.NET's "Could not find {role} column '{name}'" (<c>ExceptSchemaMismatch</c>).</summary>
    public static ArgumentOutOfRangeException MissingColumn(string role, string column)
        => new("inputSchema", $"Could not find {role} column '{column}'.");

    /// <summary>ML.NET's "Schema mismatch for {role} column '{name}': expected {expected}, got {found}".</summary>
    public static ArgumentOutOfRangeException ColumnMismatch(string role, string column, string expected, string found)
        => new("inputSchema", $"Schema mismatch for {role} column '{column}': expected {expected}, got {found}.");

    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
