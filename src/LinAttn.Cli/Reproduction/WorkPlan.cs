using LinAttn.Diagnostics.Studies;
using LinAttn.Training;

namespace LinAttn.Cli.Reproduction;

/// <summary>The units a recipe will run (store keys) with cost weights per phase, for progress and ETA.</summary>
internal sealed class WorkPlan
{
    private readonly Dictionary<string, double[]> _units = new();

    public IReadOnlyDictionary<string, double[]> Units => _units;

    public double Total => _units.Values.Sum(w => w.Sum());

    public WorkPlan Add(ComparisonVariant variant, ComparisonOptions options)
    {
        if (options.Noise is not null) _units[OptimizerComparison.NoiseKey(variant)] = new[] { 0, 0, 0, CostModel.Noise(variant.Adam, options.Noise) };
        foreach (ulong seed in options.Seeds)
            foreach (OptimizerKind optimizer in OptimizerComparison.Optimizers)
                Add(OptimizerComparison.RunKey(variant, optimizer, seed), variant.For(optimizer, seed), options.Trajectory);
        return this;
    }

    public WorkPlan Add(string key, RunSpec spec, TrajectoryOptions options)
    {
        var (training, hessian, smoothness) = CostModel.Run(spec, options);
        _units[key] = new[] { training, hessian, smoothness, 0 };
        return this;
    }

    /// <summary>Work done in a unit at a progress report (phases run in the order training, Hessian, smoothness; noise alone).</summary>
    public double DoneIn(string key, StudyProgress progress, bool finished)
    {
        if (!_units.TryGetValue(key, out double[]? w)) return 0;
        if (finished) return w.Sum();
        double fraction = progress.Total > 0 ? Math.Clamp(progress.Done / (double)progress.Total, 0, 1) : 0;
        int phase = (int)progress.Phase;
        double before = phase == (int)StudyPhase.Noise ? 0 : w.Take(phase).Sum();
        return before + fraction * w[phase];
    }
}
