namespace LinAttn.Cli.Commands;

/// <summary>Parses a command-line value naming a member of an enum (case-insensitive, by name only).</summary>
internal static class EnumOption
{
    /// <summary>The member of <typeparamref name="T"/> named <paramref name="value"/>; otherwise an
    /// <see cref="ArgumentOutOfRangeException"/> naming <paramref name="flag"/> and listing the known
    /// <paramref name="noun"/> (the member names in lower case).</summary>
    public static T Parse<T>(string value, string flag, string noun) where T : struct, Enum
    {
        string name = value.Trim();
        foreach (T member in Enum.GetValues<T>())
            if (string.Equals(member.ToString(), name, StringComparison.OrdinalIgnoreCase)) return member;
        string known = string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        throw new ArgumentOutOfRangeException(flag, $"{flag} '{value}' is not known. Known {noun}: {known}.");
    }
}
