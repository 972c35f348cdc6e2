using LinAttn.Benchmarks;

// Timed harness (medians over repeats). Run alone on the machine: dotnet run -c Release --project tests/LinAttn.Benchmarks -- [step]
string what = args.Length > 0 ? args[0] : "step";
switch (what)
{
    case "step":
        TrainingStepBenchmark.Run(new[] { 64, 1000, 10000 }, new[] { 1, 2 });
        break;
    case "profile":
        ProfileStep.Run(args.Length > 1 ? int.Parse(args[1]) : 1000, args.Length > 2 ? int.Parse(args[2]) : 1);
        break;
    case "diagnostics":
        DiagnosticsCostBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 2);
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{what}'. Known: step, profile, diagnostics");
        return 2;
}
return 0;
