using System.Globalization;
using System.Runtime.CompilerServices;

namespace LinAttn.AutoML.Internal;

/// <summary>Argument checks with ML.NET-style messages naming the option, the rule and the value found.</summary>
internal static class Guard
{
    public static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, but was {value}.");
    }

    public static void Positive(long value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, but was {value}.");
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number, but was {F(value)}.");
    }

    public static void NonNegative(int value, string name)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative, but was {value}.");
    }

    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string name = "") where T : class
        => value ?? throw new ArgumentNullException(name);

    public static void That(bool condition, string name, string message)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, message);
    }

    public static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
