using System.Text.Json;

namespace LinAttn.Tests.TestKit;

/// <summary>One case of the float64 parity vectors computed by an independent implementation of the paper's model
/// (TestData/parity, copied from the project's shared folder). Q is in the authors' code convention, as ours.</summary>
public sealed class ParityCase
{
    public required string Parametrization { get; init; }
    public required string Activation { get; init; }
    public required int L { get; init; }
    public required int H { get; init; }
    public required int D { get; init; }
    public required int N { get; init; }
    public required int B { get; init; }
    public required double[] AllParam { get; init; }
    public required double[] Z0 { get; init; }
    public required double[] Target { get; init; }
    public required double[] ZL { get; init; }
    public required double[] Prediction { get; init; }
    public required double Loss { get; init; }
    public required double[] GradAllParam { get; init; }

    public static IReadOnlyList<ParityCase> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "parity", "reference-restricted.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ParityCase
        {
            Parametrization = c.GetProperty("parametrization").GetString()!,
            Activation = c.GetProperty("activation").GetString()!,
            L = c.GetProperty("L").GetInt32(),
            H = c.GetProperty("H").GetInt32(),
            D = c.GetProperty("d").GetInt32(),
            N = c.GetProperty("n").GetInt32(),
            B = c.GetProperty("B").GetInt32(),
            AllParam = Flatten(c.GetProperty("allparam")),
            Z0 = Flatten(c.GetProperty("Z0")),
            Target = Flatten(c.GetProperty("target")),
            ZL = Flatten(c.GetProperty("ZL")),
            Prediction = Flatten(c.GetProperty("prediction")),
            Loss = c.GetProperty("loss").GetDouble(),
            GradAllParam = Flatten(c.GetProperty("grad_allparam")),
        }).ToList();
    }

    private static double[] Flatten(JsonElement element)
    {
        var values = new List<double>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) foreach (JsonElement child in e.EnumerateArray()) Walk(child);
            else values.Add(e.GetDouble());
        }
        Walk(element);
        return values.ToArray();
    }
}
