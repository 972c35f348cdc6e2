namespace LinAttn.AutoML.Tuners;

/// <summary>A log-spaced learning-rate grid per optimizer (other options at their defaults), optimizers interleaved.</summary>
internal sealed class GridSearchTuner : ITuner
{
    private readonly Queue<Parameter> _queue = new();

    public GridSearchTuner(SearchSpace space, int pointsPerOptimizer)
    {
        for (int i = 0; i < pointsPerOptimizer; i++)
        {
            foreach (OptimizerSpace o in space.Optimizers)
            {
                double u = pointsPerOptimizer == 1 ? 0.5 : i / (double)(pointsPerOptimizer - 1);
                _queue.Enqueue(space.Default(o.Name, o.LearningRate.FromUnit(u)));
            }
        }
    }

    public Parameter? Propose(TrialSettings settings)
    {
        settings.Phase = TrialPhase.Search;
        return _queue.Count > 0 ? _queue.Dequeue() : null;
    }

    public void Update(TrialResult result)
    {
    }
}
