using System.CommandLine;
using System.Diagnostics;
using LinAttn.Cli.Output.Reports;
using LinAttn.Cli.Reproduction;
using LinAttn.Cli.Reproduction.Recipes;
using LinAttn.Diagnostics.Studies;
using LinAttn.Model;
using Spectre.Console;
using TorchSharp;

namespace LinAttn.Cli.Commands;

/// <summary><c>linattn reproduce &lt;target&gt;</c>: runs a figure's recipe (or all of them), writes CSV, PNG and a
/// report with the paper's claims checked; resumes finished units from the same output folder.</summary>
internal static class ReproduceCommand
{
    public const int RequiredClaimFailed = 3;
    public const int Cancelled = 130;

    public static Command Create(IAnsiConsole console)
    {
        var target = new Argument<string>("target") { Description = $"What to reproduce: {string.Join(", ", RecipeCatalog.Names)}." };
        var quick = new Option<bool>("--quick") { Description = "Fewer seeds and steps, diagnostics only where the claims are checked (same code path)." };
        var tiny = new Option<bool>("--tiny") { Description = "Smoke-test sizes (for tests).", Hidden = true };
        var output = new Option<string?>("--out") { Description = "Output folder (default runs/reproduce/quick or runs/reproduce/full); one subfolder per figure." };
        var threads = new Option<int?>("--threads") { Description = "Cores to use: that many runs at once, one thread each (a lone run or noise measurement uses them all). Default: every core." };
        var noisePrecision = new Option<string>("--noise-precision")
        {
            Description = "Arithmetic of the gradient-noise minibatch gradients: float32 (the authors' code; default) or float64.",
            DefaultValueFactory = _ => "float32",
        };
        var command = new Command("reproduce", "Reproduce the paper's figures: run the experiments, write CSV, PNG and report.md/report.html with each claim checked.")
        {
            target, quick, tiny, output, threads, noisePrecision,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Guarded(console, () =>
        {
            ReproductionProfile profile = parse.GetValue(tiny) ? ReproductionProfile.Tiny : parse.GetValue(quick) ? ReproductionProfile.Quick : ReproductionProfile.Full;
            string folder = parse.GetValue(output) ?? Path.Combine("runs", "reproduce", profile.ToString().ToLowerInvariant());
            string what = parse.GetValue(target)!;
            int? threadCount = parse.GetValue(threads);
            Precision noise = EnumOption.Parse<Precision>(parse.GetValue(noisePrecision)!, "--noise-precision", "values");
            // Run on the thread pool: System.CommandLine registers its Ctrl-C/SIGTERM handler (which cancels the token)
            // only once the action has returned its Task, so a synchronous action could not be cancelled.
            return Task.Run(() => Run(what, profile, folder, threadCount, noise, console, cancellationToken), CancellationToken.None);
        }));
        return command;
    }

    internal static int Run(string target, ReproductionProfile profile, string folder, int? threads, Precision noisePrecision, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<Recipe> recipes = RecipeCatalog.Resolve(target);
        if (threads is int t)
        {
            if (t <= 0) throw new ArgumentOutOfRangeException("--threads", $"--threads must be positive, but was {t}.");
            torch.set_num_threads(t);
        }
        var reports = new List<RecipeReport>();
        foreach (Recipe recipe in recipes)
        {
            string recipeFolder = Path.Combine(folder, recipe.Name);
            Directory.CreateDirectory(recipeFolder);
            console.MarkupLineInterpolated($"[bold]{recipe.Title}[/] ({profile.ToString().ToLowerInvariant()} profile) -> {recipeFolder}");
            try
            {
                reports.Add(RunRecipe(recipe, profile, recipeFolder, threads, noisePrecision, console, cancellationToken));
            }
            catch (OperationCanceledException)
            {
                console.MarkupLineInterpolated($"[yellow]Cancelled.[/] Finished units are kept in {Path.Combine(recipeFolder, "units")}; rerun the same command to resume.");
                return Cancelled;
            }
        }
        if (recipes.Count > 1) IndexReport.Write(folder, reports);
        bool requiredFailed = reports.SelectMany(r => r.Claims).Any(c => c.Required && c.Passed != true);
        return requiredFailed ? RequiredClaimFailed : 0;
    }

    private static RecipeReport RunRecipe(Recipe recipe, ReproductionProfile profile, string folder, int? threads, Precision noisePrecision,
        IAnsiConsole console, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        WorkPlan plan = recipe.Plan(profile, threads, noisePrecision);
        var report = new RecipeReport(recipe.Name, recipe.Title) { Profile = profile.ToString().ToLowerInvariant() };
        RecipeContext Context(IProgress<ComparisonProgress> progress) => new()
        {
            Folder = folder, Profile = profile, Console = console, Store = new DirectoryStudyStore(Path.Combine(folder, "units")),
            Progress = progress, Token = token, Threads = threads, NoisePrecision = noisePrecision,
        };

        RecipeContext? context = null;
        if (console.Profile.Capabilities.Interactive)
        {
            console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    ProgressTask task = ctx.AddTask(recipe.Name, maxValue: plan.Total);
                    context = Context(new RecipeProgress(console, plan, (done, what) =>
                    {
                        task.Value = Math.Min(done, plan.Total);
                        task.Description = $"{recipe.Name}: {what}";
                    }));
                    recipe.Run(context, report);
                    task.Value = plan.Total;
                });
        }
        else
        {
            context = Context(new RecipeProgress(console, plan, null));
            recipe.Run(context, report);
        }
        report.WallSeconds = clock.Elapsed.TotalSeconds;
        report.Files.AddRange(context!.Files);
        report.Files.AddRange(new[] { "report.md", "report.html", "claims.csv" });
        ReportWriter.Write(folder, report);
        ClaimTable.Write(console, report);
        return report;
    }
}
