using System.CommandLine;
using System.Globalization;
using LinAttn.Cli.Output;
using LinAttn.Model;
using LinAttn.Training;
using Spectre.Console;

namespace LinAttn.Cli.Commands;

/// <summary><c>linattn train</c>: trains a paper preset with one or more optimizers and writes each history.</summary>
internal static class TrainCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var preset = new Option<string>("--preset") { Description = $"Paper configuration: {string.Join(", ", PaperPresets.Names)}.", DefaultValueFactory = _ => "setting1" };
        var optimizers = new Option<string>("--optimizer") { Description = "Optimizer, or a comma-separated list (sgd, sgdm, adam, adamw, rmsprop, adagrad, signsgd, nsgd).", DefaultValueFactory = _ => "sgdm,adam" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default: the authors' rate for the preset and optimizer)." };
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => TrainingOptions.Defaults.Steps };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialisation and training batches.", DefaultValueFactory = _ => 0 };
        var layers = new Option<int>("--layers") { Description = "Number of layers L.", DefaultValueFactory = _ => 3 };
        var dimension = new Option<int?>("--dimension") { Description = "Covariate dimension d (default: the preset's, 5; Fig. 5 uses 20)." };
        var context = new Option<int?>("--context-length") { Description = "Context examples per prompt n (default: the preset's; Fig. 5 uses 60)." };
        var batch = new Option<int>("--batch-size") { Description = "Prompts per step.", DefaultValueFactory = _ => TrainingOptions.Defaults.BatchSize };
        var clip = new Option<double?>("--clip") { Description = "Global-norm clipping threshold (default: the preset's; 0 turns clipping off)." };
        var evalEvery = new Option<int>("--eval-every") { Description = "Evaluate on the fixed batch every k steps.", DefaultValueFactory = _ => TrainingOptions.Defaults.EvaluateEvery };
        var printEvery = new Option<int>("--print-every") { Description = "Print the losses every k steps.", DefaultValueFactory = _ => 250 };
        var snapshotEvery = new Option<int>("--snapshot-every") { Description = "Store parameters every k steps in the history (0: off).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int?>("--threads") { Description = "Torch and sampling threads (default: torch's choice)." };
        var device = new Option<string>("--device") { Description = "Torch device (cpu, cuda, cuda:1).", DefaultValueFactory = _ => "cpu" };
        var engine = new Option<string>("--engine") { Description = "Compute engine: auto (fast on the CPU, else torchsharp), fast, torchsharp.", DefaultValueFactory = _ => "auto" };
        var sampling = new Option<string>("--sampling") { Description = "Training batches: tokens (the paper's code), or moments (S₀ = Σ z zᵀ drawn from its Wishart law: same law, faster; fast engine, linear attention, Gaussian linear tasks).", DefaultValueFactory = _ => "tokens" };
        var maxSkipped = new Option<int>("--max-skipped-steps") { Description = "Steps with a non-finite loss or gradient to skip (update not applied) before stopping as diverged; 0 (default) stops at the first.", DefaultValueFactory = _ => 0 };
        var precision = new Option<string>("--precision") { Description = "Arithmetic of the model: float32 (the paper's) or float64 (deep models whose predictions on rare prompts overflow float32).", DefaultValueFactory = _ => "float32" };
        var activation = new Option<string>("--activation") { Description = "Attention scores: identity (linear attention, the paper's), softmax, relu.", DefaultValueFactory = _ => "identity" };
        var output = new Option<string>("--out") { Description = "Folder for the history files.", DefaultValueFactory = _ => Path.Combine("runs", "train") };

        var command = new Command("train", "Train a linear transformer on a paper preset and write its history (JSON and CSV).")
        {
            preset, optimizers, lr, steps, seed, layers, dimension, context, batch, clip, evalEvery, printEvery, snapshotEvery, threads, device, engine, sampling, activation, precision, maxSkipped, output,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Guarded(console, () =>
        {
            var settings = new TrainSettings(
                parse.GetValue(preset)!, parse.GetValue(optimizers)!, parse.GetValue(lr), parse.GetValue(steps), parse.GetValue(seed),
                parse.GetValue(layers), parse.GetValue(batch), parse.GetValue(clip), parse.GetValue(evalEvery), parse.GetValue(printEvery),
                parse.GetValue(snapshotEvery), parse.GetValue(threads), parse.GetValue(device)!, parse.GetValue(output)!, parse.GetValue(engine)!,
                parse.GetValue(activation)!, parse.GetValue(sampling)!, parse.GetValue(dimension), parse.GetValue(context), parse.GetValue(precision)!, parse.GetValue(maxSkipped));
            return Task.FromResult(Run(settings, console, cancellationToken));
        }));
        return command;
    }

    internal sealed record TrainSettings(string Preset, string Optimizers, double? LearningRate, int Steps, ulong Seed, int Layers,
        int BatchSize, double? Clip, int EvaluateEvery, int PrintEvery, int SnapshotEvery, int? Threads, string Device, string Output,
        string Engine, string Activation = "identity", string Sampling = "tokens", int? Dimension = null, int? ContextLength = null, string Precision = "float32", int MaxSkippedSteps = 0);

    internal static int Run(TrainSettings s, IAnsiConsole console, CancellationToken cancellationToken)
    {
        // Build and validate every run before training any, so a bad flag fails in milliseconds.
        var specs = s.Optimizers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => BuildSpec(s, OptimizerOptions.ParseKind(name, "--optimizer")))
            .ToList();
        if (specs.Count == 0) throw new ArgumentOutOfRangeException("--optimizer", "--optimizer must name at least one optimizer.");
        if (s.PrintEvery <= 0) throw new ArgumentOutOfRangeException("--print-every", $"--print-every must be positive, but was {s.PrintEvery}.");
        Directory.CreateDirectory(s.Output);

        console.MarkupLineInterpolated($"[bold]{PaperPresets.Describe(s.Preset, s.Dimension, s.ContextLength)}[/]");
        var results = new List<(RunSpec Spec, TrainingResult Result, string Path)>();
        foreach (RunSpec spec in specs)
        {
            string name = OptimizerOptions.ShortName(spec.Training.Optimizer.Kind);
            console.MarkupLineInterpolated(
                $"[bold]{name}[/] lr={spec.Training.Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture)}, L={spec.Model.Layers}, scores={spec.Model.Activation.ToString().ToLowerInvariant()}, B={spec.Training.BatchSize}, steps={spec.Training.Steps}, clip={(spec.Training.ClipThreshold?.ToString(CultureInfo.InvariantCulture) ?? "off")}, seed={spec.Training.Seed}, engine={Runner.ResolveEngine(spec.Model, spec.Training).ToString().ToLowerInvariant()}, sampling={spec.Training.Sampling.ToString().ToLowerInvariant()}, precision={spec.Model.Precision.ToString().ToLowerInvariant()}");
            TrainingResult result = TrainingProgressDisplay.Run(console, spec, s.PrintEvery, cancellationToken);
            string path = HistoryFiles.Write(s.Output, spec, result);
            results.Add((spec, result, path));
            if (result.Status != TrainingStatus.Completed) console.MarkupLineInterpolated($"[yellow]{result.Message}[/]");
            if (result.Status == TrainingStatus.Cancelled) break;
        }

        SummaryTable.Write(console, results.Select(r => (r.Spec, r.Result, r.Path)).ToList());
        return results.Any(r => r.Result.Status == TrainingStatus.Cancelled) ? 130 : 0;
    }

    private static RunSpec BuildSpec(TrainSettings s, OptimizerKind kind)
    {
        RunSpec spec = PaperPresets.Get(s.Preset, kind, s.LearningRate, s.Seed, s.Layers, s.Dimension, s.ContextLength);   // named -d{d}-n{n} if resized
        ScoreActivation scores = EnumOption.Parse<ScoreActivation>(s.Activation, "--activation", "activations");
        if (scores != ScoreActivation.Identity)   // another model: its files get their own names
            spec = spec with { Name = $"{spec.Name}-{scores.ToString().ToLowerInvariant()}", Model = spec.Model with { Activation = scores } };
        PromptSampling sampling = EnumOption.Parse<PromptSampling>(s.Sampling, "--sampling", "values");
        if (sampling != PromptSampling.Tokens)   // other training data: its files get their own names too
            spec = spec with { Name = $"{spec.Name}-{sampling.ToString().ToLowerInvariant()}" };
        Precision precision = EnumOption.Parse<Precision>(s.Precision, "--precision", "values");
        if (precision != Model.Precision.Float32)   // other arithmetic: its own file names
            spec = spec with { Name = $"{spec.Name}-{precision.ToString().ToLowerInvariant()}", Model = spec.Model with { Precision = precision } };
        double? clip = s.Clip is null ? spec.Training.ClipThreshold : s.Clip == 0 ? null : s.Clip;
        spec = spec with
        {
            Training = spec.Training with
            {
                Steps = s.Steps,
                BatchSize = s.BatchSize,
                ClipThreshold = clip,
                EvaluateEvery = s.EvaluateEvery,
                SnapshotEvery = s.SnapshotEvery,
                MaxSkippedSteps = s.MaxSkippedSteps,
                Threads = s.Threads,
                Device = s.Device,
                Engine = EnumOption.Parse<EngineKind>(s.Engine, "--engine", "engines"),
                Sampling = sampling,
            },
        };
        spec.Validate();
        Runner.ResolveEngine(spec.Model, spec.Training);   // rejects --engine fast where it cannot run, before training
        return spec;
    }
}
