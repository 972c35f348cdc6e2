namespace LinAttn.Diagnostics;

/// <summary>Argument checks with messages that name the argument, the rule and the value found (as Core's Guard).</summary>
internal static class Check
{
    public static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, but was {value}.");
    }

    public static void NonNegative(int value, string name)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative, but was {value}.");
    }

    public static void Probability(double value, string name)
    {
        if (!(value > 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1), but was {value}.");
    }

    public static void MinimumCount(int count, int minimum, string name)
    {
        if (count < minimum)
            throw new ArgumentOutOfRangeException(name, count, $"{name} must hold at least {minimum} values, but held {count}.");
    }

    public static void Length(int length, int expected, string name)
    {
        if (length != expected)
            throw new ArgumentOutOfRangeException(name, length, $"{name} must hold {expected} values, but held {length}.");
    }

    public static void That(bool condition, string name, string message)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, message);
    }

    public static T NotNull<T>(T? value, string name) where T : class => value ?? throw new ArgumentNullException(name);
}
