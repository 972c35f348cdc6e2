using System.Globalization;
using System.Text;

namespace LinAttn.Cli.Output.Reports;

/// <summary>Writes a CSV file: a header row, then rows of numbers (round-trip format, invariant culture) or text
/// (quoted when it holds a comma, quote or newline). Empty cells stand for missing values.</summary>
internal sealed class CsvTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = new();

    public CsvTable(params string[] header) => _header = header;

    public int RowCount => _rows.Count;

    public CsvTable Add(params object?[] cells)
    {
        if (cells.Length != _header.Length)
            throw new ArgumentOutOfRangeException(nameof(cells), $"a row of {string.Join(",", _header)} needs {_header.Length} cells, but had {cells.Length}.");
        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    public void Write(string path)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', _header)).Append('\n');
        foreach (string[] row in _rows) sb.Append(string.Join(',', row)).Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

    private static string Format(object? cell) => cell switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s when s.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 => "\"" + s.Replace("\"", "\"\"") + "\"",
        _ => cell.ToString() ?? "",
    };
}
