using System.Globalization;
using LinAttn.Training;
using Spectre.Console;

namespace LinAttn.Cli.Output;

/// <summary>Runs one training with a progress bar (interactive consoles) and a loss line every k steps.</summary>
internal static class TrainingProgressDisplay
{
    public static TrainingResult Run(IAnsiConsole console, RunSpec spec, int printEvery, CancellationToken cancellationToken)
    {
        int lastPrinted = -1;
        void Print(TrainingProgress p)
        {
            bool due = p.Step / printEvery > lastPrinted / printEvery || p.Step == p.TotalSteps || lastPrinted < 0;
            if (!due || p.Step == lastPrinted) return;
            lastPrinted = p.Step;
            console.MarkupLineInterpolated(
                $"  step {p.Step,6}/{p.TotalSteps}  train {Fmt(p.TrainLoss)}  eval {Fmt(p.EvaluationLoss)}  |g| {Fmt(p.GradientNorm)}  {p.Elapsed.TotalSeconds:F1}s");
        }

        if (!console.Profile.Capabilities.Interactive)
        {
            return Runner.Train(spec, new SynchronousProgress<TrainingProgress>(Print), cancellationToken);
        }

        TrainingResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(OptimizerOptions.ShortName(spec.Training.Optimizer.Kind), maxValue: spec.Training.Steps);
                result = Runner.Train(spec, new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    Print(p);
                }), cancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static string Fmt(double value) => double.IsNaN(value) ? "   -    " : value.ToString("0.000e+00", CultureInfo.InvariantCulture);
}

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
