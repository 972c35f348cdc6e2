using LinAttn.MLNet.Internal;
using LinAttn.MLNet.Persistence;
using LinAttn.MLNet.Training;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;
using Microsoft.ML;
using TorchSharp;

namespace LinAttn.MLNet;

/// <summary>
/// Trains a linear-attention in-context regressor (Ahn et al., ICLR 2024) on prompts held in an IDataView, with
/// TorchSharp, and returns a transformer that scores prompts in managed code. Create it with
/// <see cref="LinearAttentionCatalog.LinearAttention(RegressionCatalog.RegressionTrainers, LinearAttentionRegressionTrainer.Options)"/>.
/// </summary>
/// <remarks>
/// <para><b>Input columns.</b> <c>Features</c>: known-size <c>Vector&lt;Single&gt;</c> of N(d+1)+d values, one prompt
/// per row, in <see cref="PromptLayout.Interleaved"/> [x1, y1, ..., xN, yN, xq] or
/// <see cref="PromptLayout.Concatenated"/> [x1..xN, y1..yN, xq] order. <c>Label</c>: <c>Single</c>, the query's target.
/// Optional context-length column (any numeric type): the row's n_b ≤ N valid pairs; the rest is padding and is
/// ignored. <b>Output column:</b> <c>Score</c> (<c>Single</c>), ŷ.</para>
/// <para><b>Characteristics.</b> Machine learning task: regression. Normalization needed: recommended (scale x and y to
/// unit variance). Caching: no (the data are streamed through a cursor, one batch at a time). Extra NuGet:
/// TorchSharp-cpu (training only; scoring is managed).</para>
/// <para><b>Training.</b> The shared loop of LinAttn.Core: every step reads the next B rows (the data repeated end to end),
/// computes the mean squared error (ŷ − y)², clips the global gradient norm and applies the optimizer. Optional
/// synthetic pre-training first trains on prompts drawn from a task sampler with the data's d and N.</para>
/// <para><b>Model.</b> Rows are tokens z_i = (x_i, y_i) ∈ R^(d+1), the query (x_q, 0) last. Each of L layers updates every
/// token: z_j ← z_j + Σ_h (1/n) Σ_{i ≤ n} act(z_jᵀ Q_h z_i) P_h z_i; ŷ = −[Z_L]_{query, y}. See docs/mlnet.md.</para>
/// </remarks>
public sealed partial class LinearAttentionRegressionTrainer : IEstimator<LinearAttentionRegressionTransformer>
{
    private const int MonitorRows = 1000;
    private readonly Options _options;

    internal LinearAttentionRegressionTrainer(Options options)
    {
        _options = Guard.NotNull(options).Clone();
        _options.Validate();
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing, has the wrong type or size.</exception>
    /// <exception cref="InvalidOperationException">The data are empty, hold NaN/∞ or an invalid context length (the message
    /// names the row), or training diverged (the message names the step and likely causes).</exception>
    /// <exception cref="OperationCanceledException"><see cref="Options.CancellationToken"/> was cancelled.</exception>
    public LinearAttentionRegressionTransformer Fit(IDataView input)
    {
        Guard.NotNull(input);
        Options o = _options;
        PromptShape shape = SchemaChecks.CheckFeatures(input.Schema, o.FeatureColumnName, o.Dimension, o.ContextLength, o.Layout);
        SchemaChecks.CheckLabel(input.Schema, o.LabelColumnName);
        SchemaChecks.CheckContextLength(input.Schema, o.ContextLengthColumnName);
        ModelOptions model = o.ToModelOptions(shape.Dimension);
        PromptSampler? pretrainingSampler = o.PretrainingSteps > 0 ? CreatePretrainingSampler(shape) : null;

        long rows = DataViewBatchSource.CountRows(input, o.CancellationToken);
        if (rows == 0)
            throw new InvalidOperationException($"The training data has no rows: Fit needs at least one prompt in column '{o.FeatureColumnName}'.");
        int previousThreads = torch.get_num_threads();
        if (o.NumberOfThreads is int threads) torch.set_num_threads(threads);
        double[] final;
        try
        {
            double[] theta = LinearTransformer.InitialParameters(model, (ulong)o.Seed);
            if (pretrainingSampler is not null) theta = Pretrain(model, pretrainingSampler, theta);

            int batchSize = (int)Math.Min(o.BatchSize, rows);
            int steps = o.NumberOfSteps ?? (int)Math.Min(int.MaxValue, Math.Ceiling(o.NumberOfEpochs * (double)rows / batchSize));
            using var source = new DataViewBatchSource(input, shape, o.FeatureColumnName, o.LabelColumnName, o.ContextLengthColumnName, batchSize);
            PromptBatch monitor = source.ReadFirst((int)Math.Min(rows, MonitorRows));
            TrainingOptions training = o.ToTrainingOptions(steps, batchSize, monitor.BatchSize);
            final = Run(LinearAttentionTrainingPhase.Training, model, training, theta, source, monitor);
        }
        finally
        {
            if (o.NumberOfThreads is not null) torch.set_num_threads(previousThreads);   // "during Fit" only
        }

        var payload = new ModelPayload(model, shape.ContextLength, shape.Layout, o.FeatureColumnName, o.ContextLengthColumnName, final);
        return LinearAttentionRegressionTransformer.Create(payload, input, o.ScoreColumnName);
    }

    /// <summary>The output shape: the input columns plus the Single score column. Checks that the features column is a
    /// known-size Single vector, the label a Single and the context-length column numeric (a <see cref="SchemaShape"/>
    /// carries no vector size: the size N(d+1)+d is checked by <see cref="Fit"/> and the transformer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Guard.NotNull(inputSchema);
        Options o = _options;
        SchemaChecks.CheckShape(inputSchema, o.FeatureColumnName, o.LabelColumnName, o.ContextLengthColumnName);
        return ScoringChain.CreateEstimator(new MLContext(seed: 0), payload: string.Empty, o.FeatureColumnName, o.ContextLengthColumnName, o.ScoreColumnName)
            .GetOutputSchema(inputSchema);
    }

    private PromptSampler CreatePretrainingSampler(PromptShape shape)
    {
        TaskOptions task = (_options.PretrainingTask ?? new TaskOptions()) with { Dimension = shape.Dimension, ContextLength = shape.ContextLength };
        try
        {
            return new PromptSampler(task);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentOutOfRangeException(nameof(Options.PretrainingTask),
                $"{nameof(Options.PretrainingTask)} with the data's d = {shape.Dimension}, n = {shape.ContextLength} is invalid: {e.Message}");
        }
    }

    private double[] Pretrain(ModelOptions model, PromptSampler sampler, double[] theta)
    {
        Options o = _options;
        TrainingOptions training = o.ToTrainingOptions(o.PretrainingSteps, o.BatchSize, MonitorRows);
        PromptBatch evaluation = sampler.Sample(MonitorRows, training.EvaluationSeed, StreamPurpose.Evaluation, 0, o.NumberOfThreads);
        if (o.PretrainingSampling == PromptSampling.Moments) CheckMomentPretraining(model, training, sampler);
        var source = new SyntheticBatchSource(sampler, o.BatchSize, (ulong)o.Seed, o.NumberOfThreads, o.PretrainingSampling);
        return Run(LinearAttentionTrainingPhase.Pretraining, model, training, theta, source, evaluation);
    }

    // Moments carry S₀ and the query only: the fast engine's linear attention, on a task with a Wishart S₀.
    private static void CheckMomentPretraining(ModelOptions model, TrainingOptions training, PromptSampler sampler)
    {
        string why = model.Activation != ScoreActivation.Identity ? $"{nameof(Options.Activation)} is {model.Activation} (only linear attention reads moments)"
            : Runner.ResolveEngine(model, training) != EngineKind.Fast ? $"{nameof(Options.Device)} '{training.Device}' needs the TorchSharp engine, which reads tokens"
            : sampler.MomentsUnsupported();
        if (why.Length > 0)
            throw new ArgumentOutOfRangeException(nameof(Options.PretrainingSampling),
                $"{nameof(Options.PretrainingSampling)} Moments cannot pre-train this model: {why}. Use {nameof(PromptSampling.Tokens)}.");
    }

    private double[] Run(LinearAttentionTrainingPhase phase, ModelOptions model, TrainingOptions training, double[] theta,
        IPromptBatchSource source, PromptBatch evaluation)
    {
        Options o = _options;
        IProgress<TrainingProgress>? progress = o.Progress is null ? null : new PhaseProgress(phase, o.Progress);
        using ITrainingBackend backend = Runner.CreateBackend(model, training, theta);
        TrainingResult result = Trainer.Train(backend, training, source, evaluation, progress, o.CancellationToken);
        string name = phase == LinearAttentionTrainingPhase.Pretraining ? "synthetic pre-training" : "training";
        return result.Status switch
        {
            TrainingStatus.Completed => result.FinalParameters,
            TrainingStatus.Cancelled => throw new OperationCanceledException(
                $"Fit was cancelled during {name} after {result.History.Steps} of {training.Steps} steps.", o.CancellationToken),
            _ => throw new InvalidOperationException($"Fit failed during {name}: {result.Message}"),
        };
    }

    // Forwards the core loop's reports synchronously, tagged with the phase.
    private sealed class PhaseProgress(LinearAttentionTrainingPhase phase, IProgress<LinearAttentionTrainingProgress> target) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => target.Report(new LinearAttentionTrainingProgress(phase, value));
    }
}
