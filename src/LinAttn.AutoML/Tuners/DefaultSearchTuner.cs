using LinAttn.Random;

namespace LinAttn.AutoML.Tuners;

/// <summary>
/// The default strategy, in stages that every optimizer goes through together: (1) learning-rate probe, widened when the
/// best rate sits on an edge; (2) the same Halton points per optimizer in a range around the best probe rate, capped at
/// the divergence cliff, run under the scheduler (ASHA); (3) model-based proposals per optimizer (Gaussian process on
/// log lr, TPE when more options are searched) while the budget lasts; (4) the best configuration of each optimizer
/// rerun with confirmation seeds 1..K at the full budget. A stage starts when every trial of the previous one is final,
/// so proposals depend only on results.
/// </summary>
internal sealed class DefaultSearchTuner : ITuner
{
    public const ulong TpePurpose = 202;
    private enum Stage { Probe, Exploration, Exploitation, Confirmation, Done }

    private sealed record Job(Func<int, Parameter> Make, TrialPhase Phase, int Steps, int MaxSteps, int SeedIndex);

    private readonly SearchSpace _space;
    private readonly DefaultTunerOptions _options;
    private readonly ulong _seed;
    private readonly int _maxSteps, _probeSteps;
    private readonly IReadOnlyList<int> _rungs;
    private readonly Queue<Job> _queue = new();
    private readonly HashSet<int> _pending = new();
    private readonly SortedDictionary<int, TrialResult> _results = new();
    private readonly Dictionary<string, int> _widenings = new();
    private readonly Dictionary<string, Dimension> _range = new();
    private Stage _stage = Stage.Probe;
    private int _round;

    public DefaultSearchTuner(SearchSpace space, DefaultTunerOptions options, ulong seed, int maxSteps, IReadOnlyList<int> rungs)
    {
        _space = space;
        _options = options;
        _seed = seed;
        _maxSteps = maxSteps;
        _rungs = rungs;
        _probeSteps = Math.Max(1, (int)Math.Round(rungs[0] * options.ProbeStepsFraction));
        for (int i = 0; i < options.ProbePoints; i++)
            foreach (OptimizerSpace o in space.Optimizers)
                EnqueueProbe(o, o.LearningRate.FromUnit(i / (double)(options.ProbePoints - 1)));
    }

    /// <summary>The probe length in steps.</summary>
    public int ProbeSteps => _probeSteps;

    /// <summary>The exploration learning-rate range chosen for each optimizer after the probe.</summary>
    public IReadOnlyDictionary<string, Dimension> ExplorationRanges => _range;

    public Parameter? Propose(TrialSettings settings)
    {
        while (true)
        {
            while (_queue.Count > 0)
            {
                Job job = _queue.Dequeue();
                bool search = job.Phase != TrialPhase.Confirmation;
                int cost = job.Phase is TrialPhase.Exploration or TrialPhase.Exploitation ? _rungs[0] : job.Steps;
                if (search && cost > settings.RemainingSearchSteps) continue;   // unaffordable: skipped, never created
                settings.Phase = job.Phase;
                settings.Steps = job.Steps;
                settings.MaxSteps = job.MaxSteps;
                settings.SeedIndex = job.SeedIndex;
                _pending.Add(settings.TrialId);
                return job.Make(settings.TrialId);
            }
            if (_pending.Count > 0 || !Advance(settings.RemainingSearchSteps)) return null;
        }
    }

    public void Update(TrialResult result)
    {
        _results[result.TrialId] = result;
        if (result.IsFinal || result.Status == TrialStatus.Cancelled) _pending.Remove(result.TrialId);
    }

    private bool Advance(long remaining)
    {
        switch (_stage)
        {
            case Stage.Probe:
                if (Widen()) return true;
                foreach (OptimizerSpace o in _space.Optimizers) _range[o.Name] = LearningRateProbe.ExplorationRange(o, Probes(o.Name), _options.ExplorationHalfWidthDecades,
                    _options.ExplorationShiftDecades, _options.CliffSafetyFactor);
                var cubes = _space.Optimizers.ToDictionary(o => o.Name, o => ExplorationCube(_space.DimensionsOf(o.Name).Count));
                for (int i = 0; i < _options.ExplorationPoints; i++)
                {
                    foreach (OptimizerSpace o in _space.Optimizers)
                    {
                        double[] unit = cubes[o.Name][i];
                        _queue.Enqueue(new Job(_ => FromUnit(o.Name, unit), TrialPhase.Exploration, 0, _maxSteps, 0));
                    }
                }
                _stage = Stage.Exploration;
                return true;
            case Stage.Exploration:
                _stage = Stage.Exploitation;
                return true;
            case Stage.Exploitation:
                if (_round < _options.ExploitationPoints && remaining >= (long)_rungs[0] * _space.Optimizers.Count)
                {
                    _round++;
                    foreach (OptimizerSpace o in _space.Optimizers)
                        _queue.Enqueue(new Job(id => Exploit(o.Name, id), TrialPhase.Exploitation, 0, _maxSteps, 0));
                    return true;
                }
                _stage = Stage.Confirmation;
                foreach (OptimizerSpace o in _space.Optimizers)
                {
                    TrialResult? best = Best(o.Name);
                    if (best is null) continue;
                    for (int k = 1; k <= _options.ConfirmationSeeds; k++)
                        _queue.Enqueue(new Job(_ => best.Parameter, TrialPhase.Confirmation, _maxSteps, _maxSteps, k));
                }
                return true;
            case Stage.Confirmation:
                _stage = Stage.Done;
                return false;
            default:
                return false;
        }
    }

    // One searched option: the stratified 1-D Halton points (one per equal cell); more: the plain Halton points.
    private double[][] ExplorationCube(int dimensions)
        => dimensions == 1 ? Halton.Points(_options.ExplorationPoints, 1)
            : Enumerable.Range(0, _options.ExplorationPoints).Select(i => Halton.Point(i, dimensions)).ToArray();

    private bool Widen()
    {
        bool added = false;
        foreach (OptimizerSpace o in _space.Optimizers)
        {
            _widenings.TryGetValue(o.Name, out int used);
            if (used >= _options.ProbeWidenings) continue;
            double? next = LearningRateProbe.Widening(Probes(o.Name), _options.ProbePoints, o.LearningRate);
            if (next is double lr)
            {
                _widenings[o.Name] = used + 1;
                EnqueueProbe(o, lr);
                added = true;
            }
        }
        return added;
    }

    private void EnqueueProbe(OptimizerSpace o, double lr)
        => _queue.Enqueue(new Job(_ => _space.Default(o.Name, lr), TrialPhase.Probe, _probeSteps, _probeSteps, 0));

    private List<TrialResult> Probes(string optimizer)
        => _results.Values.Where(r => r.Phase == TrialPhase.Probe && r.Parameter.Optimizer == optimizer).ToList();

    private Parameter FromUnit(string optimizer, double[] unit)
    {
        Parameter p = _space.FromUnit(optimizer, unit);
        return p.With("LearningRate", _range[optimizer].FromUnit(unit[0]));
    }

    private Parameter Exploit(string optimizer, int trialId)
    {
        var trials = _results.Values.Where(r => r.Parameter.Optimizer == optimizer && r.SeedIndex == 0
            && r.Phase is TrialPhase.Exploration or TrialPhase.Exploitation).ToList();
        Dimension range = _range[optimizer];
        int dims = _space.DimensionsOf(optimizer).Count;
        var observations = Exploitation.Observations(trials, _rungs, p =>
        {
            double[] u = _space.ToUnit(p);
            u[0] = range.ToUnit(p.LearningRate);
            return u;
        });
        double[] unit = dims == 1
            ? new[] { Exploitation.GaussianProcessSuggestion(observations.Select(o => (o.Unit[0], o.Loss)).ToList()) }
            : TreeParzenEstimator.Suggest(observations, dims, CounterRandom.For(_seed, TpePurpose, (ulong)trialId));
        return FromUnit(optimizer, unit);
    }

    /// <summary>The best search trial of an optimizer: the highest rung reached, then the lowest loss there.</summary>
    internal TrialResult? Best(string optimizer)
        => _results.Values.Where(r => r.Parameter.Optimizer == optimizer && r.SeedIndex == 0 && r.Phase != TrialPhase.Probe
                && r.Rungs.Count > 0 && double.IsFinite(r.Rungs[^1].Loss))
            .OrderByDescending(r => r.Rungs[^1].Steps).ThenBy(r => r.Rungs[^1].Loss).ThenBy(r => r.TrialId).FirstOrDefault();
}
