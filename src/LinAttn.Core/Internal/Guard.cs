using System.Runtime.CompilerServices;

namespace LinAttn.Internal;

/// <summary>
/// Argument checks with ML.NET-style messages: every message names the option, the rule and the value found.
/// Options and schema problems throw <see cref="ArgumentOutOfRangeException"/>, as ML.NET does.
/// </summary>
internal static class Guard
{
    public static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, but was {value}.");
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number, but was {value}.");
    }

    public static void NonNegative(int value, string name)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative, but was {value}.");
    }

    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a non-negative finite number, but was {value}.");
    }

    public static void InRange(double value, double minInclusive, double maxExclusive, string name)
    {
        if (!(value >= minInclusive && value < maxExclusive))
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be in [{minInclusive}, {maxExclusive}), but was {value}.");
    }

    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number, but was {value}.");
    }

    public static void Defined<TEnum>(TEnum value, string name) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}, but was {value}.");
    }

    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string name = "") where T : class
        => value ?? throw new ArgumentNullException(name);

    public static void That(bool condition, string name, string message)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, message);
    }
}
