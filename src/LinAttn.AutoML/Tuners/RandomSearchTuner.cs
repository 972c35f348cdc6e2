using LinAttn.Random;

namespace LinAttn.AutoML.Tuners;

/// <summary>Uniform random configurations in each optimizer's unit cube (log-uniform learning rate), optimizers in
/// turn. Point i of trial t comes from the stream (experiment seed, purpose, t), so it never depends on timing.</summary>
internal sealed class RandomSearchTuner : ITuner
{
    public const ulong Purpose = 201;
    private readonly SearchSpace _space;
    private readonly ulong _seed;
    private int _next;

    public RandomSearchTuner(SearchSpace space, ulong seed)
    {
        _space = space;
        _seed = seed;
    }

    public Parameter? Propose(TrialSettings settings)
    {
        settings.Phase = TrialPhase.Search;
        OptimizerSpace o = _space.Optimizers[_next++ % _space.Optimizers.Count];
        var random = CounterRandom.For(_seed, Purpose, (ulong)settings.TrialId);
        double[] unit = _space.DimensionsOf(o.Name).Select(_ => random.NextDouble()).ToArray();
        return _space.FromUnit(o.Name, unit);
    }

    public void Update(TrialResult result)
    {
    }
}
