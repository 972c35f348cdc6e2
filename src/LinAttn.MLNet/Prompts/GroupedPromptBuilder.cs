using LinAttn.MLNet.Internal;
using LinAttn.Random;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Prompts;

/// <summary>
/// Builds prompt rows from grouped tabular rows. For query row r of group g, the context is min(k, m) rows drawn
/// without replacement from the m candidate rows of g (the other rows of g in the same data, or all rows of g in the
/// context data), in a random order from the stream (seed, shuffle, r): the same inputs always give the same prompts.
/// Query rows without any candidate are skipped.
/// </summary>
internal static class GroupedPromptBuilder
{
    private sealed record TabularRow(string Group, float[] X, float Y);

    public static IDataView Build(IDataView data, GroupedPromptOptions options, IDataView? contextData)
    {
        options.Validate();
        int d = GroupedRowReader.CheckSchema(data.Schema, options);
        if (contextData is not null)
        {
            int contextD = GroupedRowReader.CheckSchema(contextData.Schema, options);
            Guard.That(contextD == d, nameof(contextData),
                $"The context data's feature columns hold {contextD} values per row, but the query data's hold {d}.");
        }
        List<TabularRow> queries = ReadAll(data, options);
        List<TabularRow> contexts = contextData is null ? queries : ReadAll(contextData, options);
        var byGroup = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < contexts.Count; i++)
        {
            if (!byGroup.TryGetValue(contexts[i].Group, out List<int>? members)) byGroup[contexts[i].Group] = members = new List<int>();
            members.Add(i);
        }

        int k = options.ContextSize;
        var shape = new PromptShape(d, k, options.Layout);
        var prompts = new List<PromptRow>(queries.Count);
        for (int r = 0; r < queries.Count; r++)
        {
            TabularRow query = queries[r];
            if (!byGroup.TryGetValue(query.Group, out List<int>? members)) continue;
            int[] candidates = contextData is null ? members.Where(i => i != r).ToArray() : members.ToArray();
            if (candidates.Length == 0) continue;
            int count = Math.Min(k, candidates.Length);
            var random = CounterRandom.For((ulong)options.Seed, StreamPurpose.Shuffle, (ulong)r);
            for (int i = 0; i < count; i++)    // partial Fisher–Yates: the first `count` entries are the draw
            {
                int j = i + (int)(random.NextDouble() * (candidates.Length - i));
                (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
            }
            var features = new float[shape.FeatureCount];
            for (int i = 0; i < count; i++)
            {
                TabularRow context = contexts[candidates[i]];
                context.X.CopyTo(features.AsSpan(shape.XOffset(i), d));
                features[shape.YOffset(i)] = context.Y;
            }
            query.X.CopyTo(features.AsSpan(shape.QueryOffset, d));
            prompts.Add(new PromptRow { Features = features, Label = query.Y, ContextLength = count, Group = query.Group });
        }

        var definition = SchemaDefinition.Create(typeof(PromptRow));
        definition[nameof(PromptRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, shape.FeatureCount);
        definition[nameof(PromptRow.Features)].ColumnName = options.OutputFeatureColumnName;
        definition[nameof(PromptRow.Label)].ColumnName = options.OutputLabelColumnName;
        definition[nameof(PromptRow.ContextLength)].ColumnName = options.OutputContextLengthColumnName;
        definition[nameof(PromptRow.Group)].ColumnName = options.OutputGroupColumnName;
        return new MLContext(seed: 0).Data.LoadFromEnumerable(prompts, definition);
    }

    private static List<TabularRow> ReadAll(IDataView data, GroupedPromptOptions options)
    {
        var columns = options.FeatureColumnNames.Append(options.GroupColumnName).Append(options.LabelColumnName)
            .Select(name => data.Schema[name]).Distinct();
        using DataViewRowCursor cursor = data.GetRowCursor(columns);
        GroupedRowReader reader = GroupedRowReader.Create(cursor, options);
        var rows = new List<TabularRow>();
        while (cursor.MoveNext()) rows.Add(new TabularRow(reader.Group(), reader.Features(), (float)reader.Label()));
        return rows;
    }

    /// <summary>One output row (column names are remapped by the schema definition).</summary>
    internal sealed class PromptRow
    {
        public float[] Features = Array.Empty<float>();
        public float Label;
        public float ContextLength;
        public string Group = string.Empty;
    }
}
