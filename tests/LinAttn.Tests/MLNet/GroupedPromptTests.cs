using LinAttn.MLNet;
using LinAttn.MLNet.Prompts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.Tests.MLNet;

/// <summary>The prompt builder for grouped tabular data: contexts come from the query's own group, never include the
/// query row, are padded when the group is small, and are a pure function of the seed.</summary>
public sealed class GroupedPromptTests
{
    private readonly MLContext _ml = new(seed: 0);

    public sealed class TableRow
    {
        public string Customer = "";
        public float A;
        [VectorType(2)] public float[] B = new float[2];
        public double Spend;
    }

    // Row r of group g has A = 100 g + r, B = (r, -r), Spend = 1000 g + r: every value identifies its row.
    private static List<TableRow> Table(params int[] groupSizes)
    {
        var rows = new List<TableRow>();
        for (int g = 0; g < groupSizes.Length; g++)
        {
            for (int r = 0; r < groupSizes[g]; r++)
                rows.Add(new TableRow { Customer = $"c{g}", A = 100 * g + r, B = new float[] { r, -r }, Spend = 1000 * g + r });
        }
        return rows;
    }

    private static GroupedPromptOptions Options(int k = 3, int seed = 0) => new()
    {
        GroupColumnName = "Customer", FeatureColumnNames = new[] { "A", "B" }, LabelColumnName = "Spend", ContextSize = k, Seed = seed,
    };

    private sealed class Prompt
    {
        public float[] Features = Array.Empty<float>();
        public float Label { get; set; }
        public float ContextLength { get; set; }
        public string Group = "";
    }

    private List<Prompt> Read(IDataView prompts) => _ml.Data.CreateEnumerable<Prompt>(prompts, reuseRowObject: false).ToList();

    [Fact]
    public void Contexts_AreOtherRowsOfTheSameGroup_AndPaddingIsCounted()
    {
        IDataView prompts = _ml.Data.BuildInContextPrompts(_ml.Data.LoadFromEnumerable(Table(6, 3, 1)), Options(k: 3));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3 * 4 + 3), prompts.Schema["Features"].Type);
        List<Prompt> rows = Read(prompts);
        Assert.Equal(9, rows.Count);                       // the group of one row has no context: skipped
        foreach (Prompt p in rows)
        {
            int g = (int)(p.Label / 1000), r = (int)(p.Label % 1000);
            Assert.Equal($"c{g}", p.Group);
            Assert.Equal(g == 0 ? 3 : 2, p.ContextLength);
            Assert.Equal(new float[] { 100 * g + r, r, -r }, p.Features[12..]);          // the query x
            var seen = new HashSet<int>();
            for (int i = 0; i < 3; i++)
            {
                float[] pair = p.Features[(i * 4)..(i * 4 + 4)];
                if (i >= p.ContextLength)
                {
                    Assert.All(pair, v => Assert.Equal(0f, v));                         // zero padding
                    continue;
                }
                int contextRow = (int)pair[1];
                Assert.Equal(100 * g + contextRow, pair[0]);                            // same group
                Assert.Equal(1000 * g + contextRow, pair[3]);                           // its own label
                Assert.NotEqual(r, contextRow);                                         // never the query row
                Assert.True(seen.Add(contextRow));                                      // without replacement
            }
        }
    }

    [Fact]
    public void Prompts_AreAPureFunctionOfTheSeed()
    {
        IDataView table = _ml.Data.LoadFromEnumerable(Table(30, 30));
        List<Prompt> a = Read(_ml.Data.BuildInContextPrompts(table, Options(k: 5, seed: 1)));
        List<Prompt> b = Read(_ml.Data.BuildInContextPrompts(table, Options(k: 5, seed: 1)));
        List<Prompt> c = Read(_ml.Data.BuildInContextPrompts(table, Options(k: 5, seed: 2)));
        Assert.Equal(a.Select(p => p.Features), b.Select(p => p.Features));
        Assert.NotEqual(a.Select(p => p.Features), c.Select(p => p.Features));
    }

    [Fact]
    public void ContextData_SuppliesTheContexts()
    {
        IDataView history = _ml.Data.LoadFromEnumerable(Table(4, 4));
        IDataView queries = _ml.Data.LoadFromEnumerable(new[] { new TableRow { Customer = "c1", A = 7, B = new float[] { 7, 7 }, Spend = 5 } });
        List<Prompt> rows = Read(_ml.Data.BuildInContextPrompts(queries, Options(k: 4), contextData: history));
        Prompt p = Assert.Single(rows);
        Assert.Equal(4, p.ContextLength);
        Assert.Equal(new[] { 100f, 101f, 102f, 103f }, Enumerable.Range(0, 4).Select(i => p.Features[i * 4]).Order());
    }

    [Fact]
    public void BadColumnsAndOptions_AreRejected()
    {
        IDataView table = _ml.Data.LoadFromEnumerable(Table(3));
        var missing = Options();
        missing.GroupColumnName = "Store";
        Assert.Contains("Could not find group column 'Store'", Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Data.BuildInContextPrompts(table, missing)).Message);
        var textFeature = Options();
        textFeature.FeatureColumnNames = new[] { "Customer" };
        Assert.Contains("feature column 'Customer'", Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Data.BuildInContextPrompts(table, textFeature)).Message);
        Assert.Equal("ContextSize", Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Data.BuildInContextPrompts(table, Options(k: 0))).ParamName);
    }

    [Fact]
    public void Prompts_FeedTheTrainer()
    {
        // Scaled to O(1): the identifying values above (up to 2,000) would overflow a cubic model in float32.
        var small = Table(8, 8, 8).Select(r => new TableRow { Customer = r.Customer, A = r.A / 1000, B = r.B.Select(b => b / 10).ToArray(), Spend = r.Spend / 1000 });
        IDataView prompts = _ml.Data.BuildInContextPrompts(_ml.Data.LoadFromEnumerable(small), Options(k: 4));
        var trainer = _ml.Regression.Trainers.LinearAttention(new LinearAttentionRegressionTrainer.Options
        {
            Dimension = 3, ContextLengthColumnName = "ContextLength", NumberOfSteps = 3, BatchSize = 8, NumberOfThreads = 1,
        });
        LinearAttentionRegressionTransformer model = trainer.Fit(prompts);
        Assert.Equal(4, model.Model.ContextLength);
        Assert.Equal(24, PromptData.Scores(model.Transform(prompts)).Length);
    }
}
