using LinAttn.AutoML;
using LinAttn.Cli.Commands;

namespace LinAttn.Tests.AutoML.Distributed;

/// <summary>The recipes of the worker-process tests and their single-process tables (computed once, in this process).</summary>
public sealed class WorkerReferences
{
    /// <summary>49 jobs of 3 to 90 steps at B = 64: seconds in all.</summary>
    internal static readonly TuneRecipe Small = new("setting1", "sgdm,adam", 90, null, "default", 10, 2, 1, 3, 64);

    /// <summary>About 47 jobs of 33 to 900 steps: long enough to kill a worker in the middle of one or restart the server mid-study.</summary>
    internal static readonly TuneRecipe Long = new("setting1", "sgdm,adam", 900, null, "default", 10, 1, 2, 3, 64);

    private readonly Dictionary<TuneRecipe, Task<(ExperimentResult Result, int Jobs)>> _tables = new();

    internal Task<(ExperimentResult Result, int Jobs)> Table(TuneRecipe recipe)
    {
        lock (_tables)
        {
            if (!_tables.TryGetValue(recipe, out var table)) _tables[recipe] = table = Run(recipe);
            return table;
        }
    }

    private static async Task<(ExperimentResult, int)> Run(TuneRecipe recipe)
    {
        var monitor = new CountingMonitor();
        ExperimentResult result = await recipe.Build().SetMaxConcurrentTrials(1).SetMonitor(monitor).RunAsync();
        return (result, monitor.Running);
    }

    /// <summary>The command line of a worker of <paramref name="recipe"/> (every flag explicit, as a user would type it).</summary>
    internal static string[] Arguments(TuneRecipe recipe, string study, params string[] extra) => new[]
    {
        "tune", "worker", "--study", study, "--preset", recipe.Preset, "--optimizer", recipe.Optimizers, "--steps", recipe.Steps.ToString(),
        "--tuner", recipe.Tuner, "--confirm-seeds", recipe.ConfirmSeeds.ToString(), "--seed", recipe.Seed.ToString(), "--layers", recipe.Layers.ToString(),
        "--batch-size", recipe.BatchSize.ToString(),
    }.Concat(extra).ToArray();
}
