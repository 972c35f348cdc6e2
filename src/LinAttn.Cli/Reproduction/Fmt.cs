using System.Globalization;

namespace LinAttn.Cli.Reproduction;

/// <summary>Number formats for reports (invariant culture).</summary>
internal static class Fmt
{
    public static string E(double value) => double.IsFinite(value) ? value.ToString("0.00e+00", CultureInfo.InvariantCulture) : "n/a";

    public static string F(double value, int digits = 2) => double.IsFinite(value) ? value.ToString("F" + digits, CultureInfo.InvariantCulture) : "n/a";

    public static string G(double value) => double.IsFinite(value) ? value.ToString("G3", CultureInfo.InvariantCulture) : "n/a";

    public static string MeanStd(double mean, double std, int digits = 2) => $"{F(mean, digits)} ({F(std, digits)})";

    public static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
