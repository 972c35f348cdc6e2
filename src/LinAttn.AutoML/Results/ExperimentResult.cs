using System.Globalization;
using System.Text;
using System.Text.Json;
using LinAttn.AutoML.Internal;
using LinAttn.MLNet;
using LinAttn.Model;
using LinAttn.Training;
using Microsoft.ML;

namespace LinAttn.AutoML;

/// <summary>
/// The outcome of an experiment: every trial whatever its status, the best trial with its configuration and trained
/// parameters, per optimizer the best learning rate, the confirmed loss with its interval, the sensitivity curve with the
/// divergence cliff, the stable range and the steps spent; the optimizer ranking; the rung agreement.
/// </summary>
public sealed class ExperimentResult
{
    private readonly RunSpec _task;
    private readonly ModelExport _export;
    private LinearAttentionRegressionTransformer? _bestModel;

    internal ExperimentResult(string studyName, SearchSpace space, RunSpec task, ModelExport export, IReadOnlyList<TrialResult> trials,
        IReadOnlyList<OptimizerSummary> optimizers, IReadOnlyList<RankAgreement> agreement, IReadOnlyList<int> rungs, string? stopReason)
    {
        StudyName = studyName;
        SearchSpace = space;
        Model = task.Model;
        _task = task;
        _export = export;
        Trials = trials;
        Optimizers = optimizers;
        RungAgreement = agreement;
        Rungs = rungs;
        StopReason = stopReason;
    }

    /// <summary>The study's name.</summary>
    public string StudyName { get; }

    /// <summary>The search space.</summary>
    public SearchSpace SearchSpace { get; }

    /// <summary>The architecture every trial trained.</summary>
    public ModelOptions Model { get; }

    /// <summary>Every trial, in trial-id order.</summary>
    public IReadOnlyList<TrialResult> Trials { get; }

    /// <summary>Per optimizer, in ranking order (best first: by confirmed mean loss, else by best search loss).</summary>
    public IReadOnlyList<OptimizerSummary> Optimizers { get; }

    /// <summary>The optimizer names, best first.</summary>
    public IReadOnlyList<string> Ranking => Optimizers.Select(o => o.Name).ToList();

    /// <summary>Spearman agreement of early and later rung rankings.</summary>
    public IReadOnlyList<RankAgreement> RungAgreement { get; }

    /// <summary>The scheduler's rungs for the trial horizon.</summary>
    public IReadOnlyList<int> Rungs { get; }

    /// <summary>Why the experiment stopped early (cancelled, time limit), or null when it finished.</summary>
    public string? StopReason { get; }

    /// <summary>True when the experiment ran to its end.</summary>
    public bool IsComplete => StopReason is null;

    /// <summary>The best trial: the top-ranked optimizer's best search trial.</summary>
    public TrialResult? BestTrial => Optimizers.FirstOrDefault(o => o.BestTrial is not null)?.BestTrial;

    /// <summary>The best trial's configuration.</summary>
    public Parameter? BestConfiguration => BestTrial?.Parameter;

    /// <summary>Training steps of the search (everything but confirmation).</summary>
    public long SearchSteps => Optimizers.Sum(o => o.StepsSpent);

    /// <summary>Training steps of the confirmation runs.</summary>
    public long ConfirmationSteps => Optimizers.Sum(o => o.ConfirmationSteps);

    /// <summary>The best trial's trained parameters θ (layout [L, H, m, k, k]); null when it did not complete its budget.</summary>
    public double[]? BestModelParameters => BestTrial?.FinalParameters;

    /// <summary>
    /// The best trial's trained model as an ML.NET transformer (ML.NET AutoML's <c>TrialResult.Model</c>): the savable
    /// facade the ML.NET trainer returns, so it drops into a pipeline, saves and loads with <c>mlContext.Model</c> and scores
    /// prompts (for an IDataView experiment: the training data's columns and layout; for a synthetic task: a "Features"
    /// column in the interleaved layout). Null when no trial completed its full budget.
    /// </summary>
    public LinearAttentionRegressionTransformer? BestModel
        => _bestModel ??= BestModelParameters is double[] theta ? BestModelFactory.Create(_task, theta, _export) : null;

    /// <summary>A TorchSharp module holding the best trial's parameters.</summary>
    /// <exception cref="InvalidOperationException">No trial completed its full budget.</exception>
    public LinearTransformer CreateBestModule(TorchSharp.torch.Device? device = null)
        => new(Model, BestModelParameters ?? throw new InvalidOperationException("No trial completed its full budget, so there is no trained model."), device);

    /// <summary>The trials as flat rows.</summary>
    public IReadOnlyList<TrialRow> ToRows() => Trials.Select(t => new TrialRow
    {
        TrialId = t.TrialId, Optimizer = t.Parameter.Optimizer, Phase = t.Phase.ToString(), SeedIndex = t.SeedIndex, Status = t.Status.ToString(),
        LearningRate = t.Parameter.LearningRate, Steps = t.Steps, MaxSteps = t.MaxSteps, Loss = t.Loss, Metric = t.Metric, InitialLoss = t.InitialLoss,
        DivergedAtStep = t.DivergedAtStep ?? -1, Rungs = string.Join(';', t.Rungs.Select(r => $"{r.Steps}:{R(r.Loss)}")),
        Configuration = t.Parameter.ToJson(), Message = t.Exception is null ? t.Message : $"{t.Message} | {t.Exception}",
    }).ToList();

    /// <summary>The trials as an ML.NET <see cref="IDataView"/> (schema: <see cref="TrialRow"/>).</summary>
    public IDataView ToDataView(MLContext mlContext) => Guard.NotNull(mlContext).Data.LoadFromEnumerable(ToRows());

    /// <summary>The trials as CSV (invariant culture, round-trip doubles, a header row).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("trial_id,optimizer,phase,seed_index,status,learning_rate,steps,max_steps,loss,metric,initial_loss,diverged_at_step,rungs,configuration,message\n");
        foreach (TrialRow r in ToRows())
        {
            sb.AppendJoin(',', r.TrialId, r.Optimizer, r.Phase, r.SeedIndex, r.Status, R(r.LearningRate), r.Steps, r.MaxSteps, R(r.Loss), R(r.Metric),
                R(r.InitialLoss), r.DivergedAtStep < 0 ? "" : r.DivergedAtStep.ToString(CultureInfo.InvariantCulture), r.Rungs, Quote(r.Configuration), Quote(r.Message));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The trials, per-optimizer summaries, ranking and agreement as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        study = StudyName,
        ranking = Ranking,
        best = BestTrial is null ? null : new { trial = BestTrial.TrialId, configuration = BestTrial.Parameter, loss = BestTrial.Loss },
        searchSteps = SearchSteps,
        confirmationSteps = ConfirmationSteps,
        rungs = Rungs,
        rungAgreement = RungAgreement,
        stopReason = StopReason,
        optimizers = Optimizers.Select(o => new
        {
            o.Name, o.Rank, o.BestLearningRate, o.BestLoss, o.Confirmation, o.DivergenceCliff,
            stableLow = o.StableRange?.Low, stableHigh = o.StableRange?.High, o.StepsSpent, o.ConfirmationSteps, o.SensitivityCurve,
        }),
        trials = ToRows(),
    }, Json.Indented);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"").Replace("\n", " ").Replace("\r", " ") + "\"";
}
