using System.Globalization;
using LinAttn.MLNet.Internal;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Training;

/// <summary>
/// Reads prompts from one cursor into token rows, checking every value: features and labels must be finite, context
/// lengths whole numbers in [1, N]. Errors name the 0-based row, the column and the entry.
/// </summary>
internal sealed class PromptRowReader
{
    private readonly PromptShape _shape;
    private readonly string _featureColumn, _labelColumn;
    private readonly string? _lengthColumn;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly ValueGetter<float> _label;
    private readonly Func<double>? _length;
    private readonly float[] _dense;
    private VBuffer<float> _buffer;

    public PromptRowReader(DataViewRowCursor cursor, PromptShape shape, string featureColumn, string labelColumn, string? lengthColumn)
    {
        _shape = shape;
        _featureColumn = featureColumn;
        _labelColumn = labelColumn;
        _lengthColumn = lengthColumn;
        _features = cursor.GetGetter<VBuffer<float>>(cursor.Schema[featureColumn]);
        _label = cursor.GetGetter<float>(cursor.Schema[labelColumn]);
        _length = lengthColumn is null ? null : NumericGetter(cursor, cursor.Schema[lengthColumn]);
        _dense = new float[shape.FeatureCount];
    }

    /// <summary>The columns a cursor must make active for this reader.</summary>
    public static IEnumerable<DataViewSchema.Column> Columns(DataViewSchema schema, string featureColumn, string labelColumn, string? lengthColumn)
    {
        yield return schema[featureColumn];
        yield return schema[labelColumn];
        if (lengthColumn is not null) yield return schema[lengthColumn];
    }

    /// <summary>Reads the current row into <paramref name="tokens"/> ([N + 1, d + 1]); returns its label and n_b.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite, or the context length is invalid.</exception>
    public (float Label, int ContextLength) Read(long row, Span<float> tokens)
    {
        _features(ref _buffer);
        _buffer.CopyTo(_dense);
        for (int i = 0; i < _dense.Length; i++)
        {
            if (!float.IsFinite(_dense[i]))
                throw Bad(row, _featureColumn, $"holds {_dense[i]} at index {i} ({_shape.DescribeEntry(i)})",
                    "Training needs finite values: remove such rows (mlContext.Data.FilterRowsByMissingValues) or impute them (mlContext.Transforms.ReplaceMissingValues).");
        }
        float label = 0;
        _label(ref label);
        if (!float.IsFinite(label))
            throw Bad(row, _labelColumn, $"holds {label}", "Training needs a finite label for every prompt.");
        int length = _shape.ContextLength;
        if (_length is not null)
        {
            double value = _length();
            if (!(value >= 1 && value <= _shape.ContextLength) || value != Math.Floor(value))
                throw Bad(row, _lengthColumn!, $"holds {value.ToString(CultureInfo.InvariantCulture)}",
                    $"It must be a whole number of context pairs in [1, {_shape.ContextLength}].");
            length = (int)value;
        }
        _shape.WriteTokens(_dense, tokens);
        return (label, length);
    }

    private static InvalidOperationException Bad(long row, string column, string what, string advice)
        => new(string.Create(CultureInfo.InvariantCulture, $"Training row {row} (0-based): column '{column}' {what}. {advice}"));

    private static Func<double> NumericGetter(DataViewRow row, DataViewSchema.Column column)
    {
        Type type = column.Type.RawType;
        if (type == typeof(float)) return Wrap<float>(v => v);
        if (type == typeof(double)) return Wrap<double>(v => v);
        if (type == typeof(int)) return Wrap<int>(v => v);
        if (type == typeof(long)) return Wrap<long>(v => v);
        if (type == typeof(short)) return Wrap<short>(v => v);
        if (type == typeof(sbyte)) return Wrap<sbyte>(v => v);
        if (type == typeof(byte)) return Wrap<byte>(v => v);
        if (type == typeof(ushort)) return Wrap<ushort>(v => v);
        if (type == typeof(uint)) return Wrap<uint>(v => v);
        if (type == typeof(ulong)) return Wrap<ulong>(v => v);
        throw Guard.ColumnMismatch("context length", column.Name, "numeric scalar (e.g. Single or Int32)", column.Type.ToString()!);

        Func<double> Wrap<T>(Func<T, double> convert)
        {
            ValueGetter<T> getter = row.GetGetter<T>(column);
            T value = default!;
            return () =>
            {
                getter(ref value);
                return convert(value);
            };
        }
    }
}
