using System.Diagnostics;
using System.Globalization;
using LinAttn.Diagnostics.Studies;
using Spectre.Console;

namespace LinAttn.Cli.Reproduction;

/// <summary>Turns unit progress into a weighted fraction of the recipe's <see cref="WorkPlan"/> (for a progress bar
/// with ETA) and prints one line per finished unit.</summary>
internal sealed class RecipeProgress(IAnsiConsole console, WorkPlan plan, Action<double, string>? bar) : IProgress<ComparisonProgress>
{
    private readonly Dictionary<string, double> _done = new();
    private readonly Dictionary<string, Stopwatch> _clocks = new();

    public double Done => _done.Values.Sum();

    public int Computed { get; private set; }

    public int Loaded { get; private set; }

    public void Report(ComparisonProgress value)
    {
        if (!_clocks.TryGetValue(value.Unit, out Stopwatch? clock)) _clocks[value.Unit] = clock = Stopwatch.StartNew();
        _done[value.Unit] = plan.DoneIn(value.Unit, value.Progress, value.Finished);
        bar?.Invoke(Done, $"{value.Unit} [grey]({Describe(value.Progress)})[/]");
        if (!value.Finished) return;
        if (value.Cached) Loaded++;
        else Computed++;
        string how = value.Cached ? "loaded (finished earlier)" : $"done in {clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s";
        console.MarkupLineInterpolated($"  {value.Unit}: {how}");
    }

    private static string Describe(StudyProgress p) => p.Phase switch
    {
        StudyPhase.Training => $"training {p.Done}/{p.Total}",
        StudyPhase.Hessian => $"Hessian {p.Done}/{p.Total}",
        StudyPhase.Smoothness => $"smoothness {p.Done}/{p.Total}",
        _ => $"noise {p.Done}/{p.Total}",
    };
}
