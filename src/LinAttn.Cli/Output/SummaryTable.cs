using System.Globalization;
using LinAttn.Training;
using Spectre.Console;

namespace LinAttn.Cli.Output;

/// <summary>The end-of-command table: per optimizer, final evaluation loss, status, speed and files.</summary>
internal static class SummaryTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<(RunSpec Spec, TrainingResult Result, string Path)> runs)
    {
        var table = new Table().AddColumns("optimizer", "lr", "final eval loss", "status", "steps/s");
        foreach (var (spec, result, path) in runs)
        {
            double rate = result.History.WallSeconds > 0 ? result.History.Steps / result.History.WallSeconds : double.NaN;
            table.AddRow(
                OptimizerOptions.ShortName(spec.Training.Optimizer.Kind),
                spec.Training.Optimizer.LearningRate.ToString("G4", CultureInfo.InvariantCulture),
                result.History.FinalEvaluationLoss.ToString("0.000e+00", CultureInfo.InvariantCulture),
                result.Status.ToString(),
                rate.ToString("F0", CultureInfo.InvariantCulture));
        }
        console.Write(table);
        foreach (var (_, _, path) in runs) console.MarkupLineInterpolated($"history: {path}");

        var adam = runs.FirstOrDefault(r => r.Spec.Training.Optimizer.Kind == OptimizerKind.Adam);
        var sgdm = runs.FirstOrDefault(r => r.Spec.Training.Optimizer.Kind == OptimizerKind.SgdMomentum);
        if (adam.Result is not null && sgdm.Result is not null)
        {
            double a = adam.Result.History.FinalEvaluationLoss, s = sgdm.Result.History.FinalEvaluationLoss;
            string verdict = a < s ? "[green]Adam ahead of SGDM[/]" : "[yellow]Adam not ahead of SGDM[/]";
            console.MarkupLine($"{verdict}: final evaluation loss {a.ToString("0.000e+00", CultureInfo.InvariantCulture)} (Adam) vs " +
                               $"{s.ToString("0.000e+00", CultureInfo.InvariantCulture)} (SGDM), ratio SGDM/Adam = {(s / a).ToString("F2", CultureInfo.InvariantCulture)}.");
        }
    }
}
