using System.Globalization;
using LinAttn.MLNet.Internal;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Prompts;

/// <summary>Reads (group, x, y) from grouped tabular rows; checks the column types up front.</summary>
internal sealed class GroupedRowReader
{
    private readonly Func<string> _group;
    private readonly Func<double> _label;
    private readonly Action<float[]>[] _features;

    private GroupedRowReader(Func<string> group, Func<double> label, Action<float[]>[] features, int dimension)
    {
        _group = group;
        _label = label;
        _features = features;
        Dimension = dimension;
    }

    /// <summary>d: the total number of feature values.</summary>
    public int Dimension { get; }

    /// <summary>Checks the schema and returns d.</summary>
    public static int CheckSchema(DataViewSchema schema, GroupedPromptOptions options)
    {
        DataViewSchema.Column group = Column(schema, "group", options.GroupColumnName);
        if (group.Type is VectorDataViewType) throw Guard.ColumnMismatch("group", group.Name, "scalar text, key or number", group.Type.ToString()!);
        DataViewSchema.Column label = Column(schema, "label", options.LabelColumnName);
        if (label.Type != NumberDataViewType.Single && label.Type != NumberDataViewType.Double)
            throw Guard.ColumnMismatch("label", label.Name, "Single or Double", label.Type.ToString()!);
        int d = 0;
        foreach (string name in options.FeatureColumnNames) d += FeatureWidth(Column(schema, "feature", name));
        return d;
    }

    /// <summary>A reader over <paramref name="cursor"/> (whose active columns include the group, label and features).</summary>
    public static GroupedRowReader Create(DataViewRowCursor cursor, GroupedPromptOptions options)
    {
        DataViewSchema schema = cursor.Schema;
        int offset = 0;
        var features = new List<Action<float[]>>();
        foreach (string name in options.FeatureColumnNames)
        {
            DataViewSchema.Column column = schema[name];
            features.Add(FeatureReader(cursor, column, offset));
            offset += FeatureWidth(column);
        }
        return new GroupedRowReader(GroupGetter(cursor, schema[options.GroupColumnName]),
            NumberGetter(cursor, schema[options.LabelColumnName]), features.ToArray(), offset);
    }

    public string Group() => _group();

    public double Label() => _label();

    public float[] Features()
    {
        var x = new float[Dimension];
        foreach (Action<float[]> read in _features) read(x);
        return x;
    }

    private static DataViewSchema.Column Column(DataViewSchema schema, string role, string name)
        => schema.GetColumnOrNull(name) ?? throw Guard.MissingColumn(role, name);

    private static int FeatureWidth(DataViewSchema.Column column) => column.Type switch
    {
        VectorDataViewType { IsKnownSize: true, ItemType: var item, Size: var size }
            when item == NumberDataViewType.Single || item == NumberDataViewType.Double => size,
        NumberDataViewType number when number == NumberDataViewType.Single || number == NumberDataViewType.Double
            || number == NumberDataViewType.Int32 || number == NumberDataViewType.Int64 => 1,
        _ => throw Guard.ColumnMismatch("feature", column.Name,
            "Single, Double, Int32, Int64, or a known-size vector of Single or Double", column.Type.ToString()!),
    };

    private static Action<float[]> FeatureReader(DataViewRow row, DataViewSchema.Column column, int offset)
    {
        if (column.Type is VectorDataViewType { ItemType: var item })
        {
            if (item == NumberDataViewType.Single)
            {
                ValueGetter<VBuffer<float>> getter = row.GetGetter<VBuffer<float>>(column);
                VBuffer<float> buffer = default;
                return x => { getter(ref buffer); buffer.CopyTo(x.AsSpan(offset)); };
            }
            ValueGetter<VBuffer<double>> doubles = row.GetGetter<VBuffer<double>>(column);
            VBuffer<double> doubleBuffer = default;
            return x =>
            {
                doubles(ref doubleBuffer);
                int i = offset;
                foreach (double v in doubleBuffer.DenseValues()) x[i++] = (float)v;
            };
        }
        Func<double> scalar = NumberGetter(row, column);
        return x => x[offset] = (float)scalar();
    }

    private static Func<double> NumberGetter(DataViewRow row, DataViewSchema.Column column)
    {
        Type type = column.Type.RawType;
        if (type == typeof(float)) return Wrap<float>(v => v);
        if (type == typeof(double)) return Wrap<double>(v => v);
        if (type == typeof(int)) return Wrap<int>(v => v);
        return Wrap<long>(v => v);

        Func<double> Wrap<T>(Func<T, double> convert)
        {
            ValueGetter<T> getter = row.GetGetter<T>(column);
            T value = default!;
            return () => { getter(ref value); return convert(value); };
        }
    }

    private static Func<string> GroupGetter(DataViewRow row, DataViewSchema.Column column)
    {
        Type type = column.Type.RawType;
        if (type == typeof(ReadOnlyMemory<char>)) return Wrap<ReadOnlyMemory<char>>(v => v.ToString());
        if (type == typeof(float)) return Wrap<float>(v => v.ToString("R", CultureInfo.InvariantCulture));
        if (type == typeof(double)) return Wrap<double>(v => v.ToString("R", CultureInfo.InvariantCulture));
        if (type == typeof(int)) return Wrap<int>(v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(long)) return Wrap<long>(v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(uint)) return Wrap<uint>(v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(ulong)) return Wrap<ulong>(v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(bool)) return Wrap<bool>(v => v ? "true" : "false");
        throw Guard.ColumnMismatch("group", column.Name, "text, key, integer, number or boolean", column.Type.ToString()!);

        Func<string> Wrap<T>(Func<T, string> convert)
        {
            ValueGetter<T> getter = row.GetGetter<T>(column);
            T value = default!;
            return () => { getter(ref value); return convert(value); };
        }
    }
}
