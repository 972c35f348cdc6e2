using LinAttn.Benchmarks;

// Timed harness (medians over repeats). Run alone on the machine:
//   dotnet run -c Release --project tests/LinAttn.Benchmarks -- <compare|step|fast|fast-variants|memory|flops|kernel-cpu|kernel-loop [seconds] [kernel|sampling|tokens|gamma|nonlinear|step] [batch]|peak|products [k,...]|mlnet [rows] [activation]|profile|automl [steps] [seeds]|trial-speed [steps]|distributed [all|overhead|throughput] [steps] [batch] [repeats]|diagnostics [threads] [fast]|hessian [threads] [rounds]|token [threads] [rounds]|eigen [repeats]>
string what = args.Length > 0 ? args[0] : "step";
switch (what)
{
    case "step":
        TrainingStepBenchmark.Run(new[] { 64, 1000, 10000 }, new[] { 1, 2 });
        break;
    case "fast":
        FastEngineBenchmark.Run(new[] { 64, 1000, 10000 }, new[] { 1, 2 });
        break;
    case "fast-variants":
        foreach (var (p, h) in new[] { (LinAttn.Model.Parametrization.Restricted, 1), (LinAttn.Model.Parametrization.Full, 1), (LinAttn.Model.Parametrization.Restricted, 2) })
            FastEngineBenchmark.Run(new[] { 1000 }, new[] { 1 }, p, h);
        break;
    case "compare":
        StepComparison.Run(new[] { 64, 1000, 4000, 10000 }, new[] { 1, 2 });
        break;
    case "memory":
        MemoryBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 10_000);
        break;
    case "flops":
        FlopCount.Run();
        break;
    case "kernel-cpu":
        KernelCpuBenchmark.Run();
        break;
    case "kernel-loop":
        // kernel-loop [seconds, default 10] [kernel|sampling|tokens|gamma|nonlinear|step, default kernel] [batch, default 1000]: Restricted
        // loss + gradient on moments, moments or token sampling (gamma: Setting 3's; nonlinear: the nonlinear figure's φ target), or whole steps on moments; one thread, for perf
        KernelCpuBenchmark.Loop(args.Length > 1 ? double.Parse(args[1]) : 10, args.Length > 2 ? args[2] : "kernel",
            args.Length > 3 ? int.Parse(args[3]) : 1000);
        break;
    case "peak":
        PeakFlopsBenchmark.Run();
        break;
    case "products":
        // products [k,k,...; default 5,6,20]: GFLOP/s of the k×k lane products, one thread
        LaneProductBenchmark.Run((args.Length > 1 ? args[1] : "5,6,20").Split(',').Select(int.Parse).ToArray());
        break;
    case "mlnet":
        // mlnet [rows, default 100000] [identity|softmax|relu, default identity]
        MLNetScoringBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 100_000,
            args.Length > 2 ? Enum.Parse<LinAttn.Model.ScoreActivation>(args[2], ignoreCase: true) : LinAttn.Model.ScoreActivation.Identity);
        break;
    case "profile":
        ProfileStep.Run(args.Length > 1 ? int.Parse(args[1]) : 1000, args.Length > 2 ? int.Parse(args[2]) : 1);
        break;
    case "automl":
        // automl [steps per trial, default 2000] [seeds, default 0,1,2]
        return AutoMLQualityBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 2000,
            (args.Length > 2 ? args[2] : "0,1,2").Split(',').Select(ulong.Parse).ToArray());
    case "trial-speed":
        // trial-speed [steps, default 2000]
        return TrialSpeedBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 2000);
    case "distributed":
        // distributed [all|overhead|throughput] [steps per trial, default 900] [batch size, default 256] [repeats, default 3];
        // under .ci/with-postgres
        return DistributedBenchmark.Run(args.Length > 1 ? args[1] : "all", args.Length > 2 ? int.Parse(args[2]) : 900,
            args.Length > 3 ? int.Parse(args[3]) : 256, args.Length > 4 ? int.Parse(args[4]) : 3);
    case "noise-precision":
        // noise-precision [rounds, default 5]: fresh-batch gradient in float64 vs float32, alternating
        NoisePrecisionBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 5);
        break;
    case "diagnostics":
        // diagnostics [threads, default 2] [fast: skip TorchSharp]
        DiagnosticsCostBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 2, args.Length > 2 && args[2] == "fast");
        break;
    case "hessian":
        // hessian [threads, default 1] [rounds, default 9]: layered vs gradient-per-column Hessians, alternating
        HessianMethodBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 1, args.Length > 2 ? int.Parse(args[2]) : 9);
        break;
    case "eigen":
        // eigen [repeats, default 7]: Hessian spectrum, MathNet's full decomposition vs eigenvalues only, alternating
        EigenvaluesBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 7);
        break;
    case "token":
        // token [threads, default 1] [rounds, default 7]: softmax/ReLU step, fast token-level kernel vs TorchSharp, alternating
        TokenAttentionBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 1, args.Length > 2 ? int.Parse(args[2]) : 7);
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{what}'. Known: compare, step, fast, fast-variants, memory, flops, kernel-cpu, kernel-loop, peak, products, mlnet, profile, automl, trial-speed, distributed, diagnostics, hessian, token, eigen");
        return 2;
}
return 0;
