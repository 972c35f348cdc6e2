using LinAttn.Random;
using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>Turns a trial's settings into the <see cref="RunSpec"/> it trains: optimizer options from the configuration,
/// shared options, the seed for its seed index, the horizon, one thread.</summary>
internal static class TrialSpecBuilder
{
    /// <summary>Purpose of the stream that names confirmation seed k (shared by every optimizer's candidate).</summary>
    public const ulong ConfirmationSeedPurpose = 101;

    public static readonly string[] OptimizerOptionNames = { "LearningRate", "Momentum", "Beta1", "Beta2", "Epsilon", "WeightDecay", "RmsPropAlpha" };
    public static readonly string[] SharedOptionNames = { "BatchSize", "UseClipping", "ClipThreshold", "WarmupFraction", "Beta1", "Beta2" };

    /// <summary>The training seed of a seed index: the experiment seed for 0 (every search trial), else a derived one.</summary>
    public static ulong TrainingSeed(ulong experimentSeed, int seedIndex)
        => seedIndex == 0 ? experimentSeed : CounterRandom.Key(experimentSeed, ConfirmationSeedPurpose, (ulong)seedIndex);

    public static RunSpec Build(RunSpec baseSpec, TrialSettings settings, ulong experimentSeed, double? divergenceLossRatio, IReadOnlyCollection<string> sharedNames)
    {
        Parameter p = settings.Parameter ?? throw new ArgumentNullException(nameof(settings), "TrialSettings.Parameter must be set.");
        var o = new OptimizerOptions { Kind = p.Kind };
        TrainingOptions t = baseSpec.Training;
        foreach (var (name, value) in p.Values)
        {
            bool shared = sharedNames.Contains(name);
            switch (name)
            {
                case "LearningRate": o = o with { LearningRate = value }; break;
                case "Momentum": o = o with { Momentum = value }; break;
                case "Beta1": o = o with { Beta1 = value }; break;
                case "Beta2": o = o with { Beta2 = value }; break;
                case "Epsilon": o = o with { Epsilon = value }; break;
                case "WeightDecay": o = o with { WeightDecay = value }; break;
                case "RmsPropAlpha": o = o with { RmsPropAlpha = value }; break;
                case "BatchSize": t = t with { BatchSize = (int)Math.Round(value) }; break;
                case "WarmupFraction":
                    t = t with { Schedule = value > 0 ? t.Schedule with { Kind = t.Schedule.Kind == ScheduleKind.Constant ? ScheduleKind.LinearWarmup : t.Schedule.Kind, WarmupFraction = value } : t.Schedule };
                    break;
                case "ClipThreshold" or "UseClipping": break;
                default:
                    if (!shared) throw new ArgumentOutOfRangeException(nameof(settings), $"Option '{name}' of '{p.Optimizer}' is not a training option.");
                    break;
            }
        }
        bool clip = !p.Has("UseClipping") || p["UseClipping"] >= 0.5;
        double? threshold = p.Has("ClipThreshold") ? p["ClipThreshold"] : t.ClipThreshold ?? TrainingOptions.Defaults.ClipThreshold;
        t = t with
        {
            Optimizer = o,
            ClipThreshold = clip ? threshold : null,
            Steps = settings.MaxSteps,
            EvaluateEvery = settings.MaxSteps,
            SnapshotEvery = 0,
            Threads = 1,
            Seed = TrainingSeed(experimentSeed, settings.SeedIndex),
            DivergenceLossRatio = divergenceLossRatio,
        };
        return baseSpec with { Training = t };
    }

    /// <summary>Throws when a name is neither an optimizer option nor a shared option.</summary>
    public static void CheckNames(string where, IEnumerable<string> names, IReadOnlyCollection<string> allowed)
    {
        foreach (string name in names)
        {
            if (!allowed.Contains(name))
                throw new ArgumentOutOfRangeException(name,
                    $"{where}: property '{name}' is not a known option. Known: {string.Join(", ", allowed)}.");
        }
    }
}
