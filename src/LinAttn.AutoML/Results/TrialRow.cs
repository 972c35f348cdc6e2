namespace LinAttn.AutoML;

/// <summary>One trial as a flat row: the schema of <see cref="ExperimentResult.ToDataView"/> and of the CSV file.</summary>
public sealed class TrialRow
{
    /// <summary>The trial id.</summary>
    public int TrialId { get; set; }

    /// <summary>The optimizer's name.</summary>
    public string Optimizer { get; set; } = "";

    /// <summary>Probe, Exploration, Exploitation, Confirmation or Search.</summary>
    public string Phase { get; set; } = "";

    /// <summary>0 for the search seed, k for confirmation seed k.</summary>
    public int SeedIndex { get; set; }

    /// <summary>Completed, Pruned, Diverged, Failed, Cancelled (or Paused when the experiment was stopped).</summary>
    public string Status { get; set; } = "";

    /// <summary>The learning rate.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps trained.</summary>
    public int Steps { get; set; }

    /// <summary>The horizon.</summary>
    public int MaxSteps { get; set; }

    /// <summary>Evaluation MSE at the last rung (NaN when diverged or failed).</summary>
    public double Loss { get; set; }

    /// <summary>The experiment's metric.</summary>
    public double Metric { get; set; }

    /// <summary>Evaluation MSE at θ_0.</summary>
    public double InitialLoss { get; set; }

    /// <summary>The step that diverged, or −1.</summary>
    public int DivergedAtStep { get; set; }

    /// <summary>Rungs as "steps:loss;...".</summary>
    public string Rungs { get; set; } = "";

    /// <summary>The configuration as JSON.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>What happened (and the exception of a failed trial).</summary>
    public string Message { get; set; } = "";
}
