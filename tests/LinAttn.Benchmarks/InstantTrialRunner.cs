using LinAttn.AutoML;

namespace LinAttn.Benchmarks;

/// <summary>A trial runner that trains nothing: the loss is a smooth function of the learning rate and the steps, so an
/// experiment makes its usual decisions at no compute cost and what remains is the experiment's and the storage's own time.</summary>
internal sealed class InstantTrialRunner : ITrialRunner
{
    public Task<TrialResult> RunAsync(TrialSettings s, CancellationToken cancellationToken)
    {
        double x = Math.Log10(s.Parameter!.LearningRate) + 2 + (s.Parameter.Optimizer == "adam" ? 0.5 : 0);
        double loss = 0.01 + x * x + 1.0 / s.Steps + 1e-3 * s.SeedIndex;
        bool complete = s.Steps >= s.MaxSteps;
        return Task.FromResult(new TrialResult
        {
            TrialId = s.TrialId, Parameter = s.Parameter, Phase = s.Phase, SeedIndex = s.SeedIndex, MaxSteps = s.MaxSteps,
            Status = complete ? TrialStatus.Completed : TrialStatus.Paused, Steps = s.Steps, Loss = loss, InitialLoss = 5,
            Rungs = new[] { new RungResult(s.Steps, loss) }, Message = complete ? "Completed." : $"Paused at rung {s.Steps}.",
            FinalParameters = complete ? Enumerable.Range(0, 150).Select(i => loss * i).ToArray() : null,   // L = 3, d = 5: 150 parameters
        });
    }

    public void Release(int trialId)
    {
    }

    public void Dispose()
    {
    }
}
