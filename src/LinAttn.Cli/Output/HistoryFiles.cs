using System.Text.Json;
using LinAttn.Training;

namespace LinAttn.Cli.Output;

/// <summary>Writes a run's spec, history (JSON) and per-step CSV beside each other.</summary>
internal static class HistoryFiles
{
    private static readonly JsonSerializerOptions SpecJson = new() { WriteIndented = true };

    /// <summary>Writes {folder}/{name}-{optimizer}-seed{seed}.{history.json, csv, spec.json}; returns the JSON path.</summary>
    public static string Write(string folder, RunSpec spec, TrainingResult result)
    {
        string stem = Path.Combine(folder, $"{spec.Name}-{OptimizerOptions.ShortName(spec.Training.Optimizer.Kind)}-seed{spec.Training.Seed}");
        File.WriteAllText(stem + ".spec.json", JsonSerializer.Serialize(spec, SpecJson));
        File.WriteAllText(stem + ".history.json", result.History.ToJson());
        File.WriteAllText(stem + ".csv", result.History.ToCsv());
        return stem + ".history.json";
    }
}
