using LinAttn.MLNet.Internal;
using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.MLNet;

public sealed partial class LinearAttentionRegressionTrainer
{
    /// <summary>Options of <see cref="LinearAttentionRegressionTrainer"/>. Every default is defined once, in
    /// <see cref="Defaults"/>, and used by both catalog overloads.</summary>
    public sealed class Options
    {
        /// <summary>Default values, each with its reason.</summary>
        public static class Defaults
        {
            /// <summary>"Label", ML.NET's default label column.</summary>
            public const string LabelColumnName = "Label";

            /// <summary>"Features", ML.NET's default features column.</summary>
            public const string FeatureColumnName = "Features";

            /// <summary>"Score", what <c>mlContext.Regression.Evaluate</c> reads.</summary>
            public const string ScoreColumnName = "Score";

            /// <summary>L = 3, the paper's base model.</summary>
            public const int NumberOfLayers = ModelOptions.Defaults.Layers;

            /// <summary>H = 1, as in most of the paper's runs.</summary>
            public const int NumberOfHeads = ModelOptions.Defaults.Heads;

            /// <summary>0.05, the authors' initialisation standard deviation.</summary>
            public const double InitialWeightStandardDeviation = ModelOptions.Defaults.InitStd;

            /// <summary>0.02, the paper's Adam learning rate for Setting 1.</summary>
            public const double LearningRate = OptimizerOptions.Defaults.LearningRate;

            /// <summary>β₁ = 0.9 (PyTorch, the paper).</summary>
            public const double Beta1 = OptimizerOptions.Defaults.Beta1;

            /// <summary>β₂ = 0.999 (PyTorch; the paper's presets use 0.9).</summary>
            public const double Beta2 = OptimizerOptions.Defaults.Beta2;

            /// <summary>Momentum 0.9 for SGD with momentum (the paper's SGDM).</summary>
            public const double Momentum = OptimizerOptions.Defaults.Momentum;

            /// <summary>Clip the global gradient norm at 1 (the paper).</summary>
            public const double GradientClipThreshold = TrainingOptions.Defaults.ClipThreshold;

            /// <summary>256 prompts per step: small data sets still get several steps per epoch.</summary>
            public const int BatchSize = 256;

            /// <summary>20 passes over the data: in-context regressors are meta-learned and need many steps.</summary>
            public const int NumberOfEpochs = 20;

            /// <summary>Report progress (and evaluate the monitor batch) every 50 steps, the paper's stride.</summary>
            public const int ProgressInterval = TrainingOptions.Defaults.EvaluateEvery;

            /// <summary>No synthetic pre-training unless asked.</summary>
            public const int PretrainingSteps = 0;

            /// <summary>"cpu".</summary>
            public const string Device = "cpu";
        }

        /// <summary>The Single label column: the query's target y_q. Default "Label".</summary>
        public string LabelColumnName { get; set; } = Defaults.LabelColumnName;

        /// <summary>The known-size Vector&lt;Single&gt; column holding each prompt, N(d+1)+d values in <see cref="Layout"/>.
        /// Default "Features".</summary>
        public string FeatureColumnName { get; set; } = Defaults.FeatureColumnName;

        /// <summary>Optional numeric column with each row's number of valid context pairs n_b in [1, N]; pairs after
        /// n_b are padding and have no effect. Null: every row has N pairs.</summary>
        public string? ContextLengthColumnName { get; set; }

        /// <summary>The output column holding ŷ. Default "Score".</summary>
        public string ScoreColumnName { get; set; } = Defaults.ScoreColumnName;

        /// <summary>The layout of the features vector. Default <see cref="PromptLayout.Interleaved"/>.</summary>
        public PromptLayout Layout { get; set; } = PromptLayout.Interleaved;

        /// <summary>The covariate dimension d. Set this or <see cref="ContextLength"/> (or both, then they are checked):
        /// a vector of N(d+1)+d values fits several (d, N).</summary>
        public int? Dimension { get; set; }

        /// <summary>The (maximum) number of context pairs N. Set this or <see cref="Dimension"/>.</summary>
        public int? ContextLength { get; set; }

        /// <summary>Layers L. Range: ≥ 1. Default 3.</summary>
        public int NumberOfLayers { get; set; } = Defaults.NumberOfLayers;

        /// <summary>Heads H per layer. Range: ≥ 1. Default 1.</summary>
        public int NumberOfHeads { get; set; } = Defaults.NumberOfHeads;

        /// <summary>How P and Q are built from the parameters. Default <see cref="Model.Parametrization.Restricted"/> (the paper's).</summary>
        public Parametrization Parametrization { get; set; } = Parametrization.Restricted;

        /// <summary>Score activation. Default <see cref="ScoreActivation.Identity"/> (linear attention, the fast engine's
        /// S-form, O(1) in n per row). Softmax and ReLU train and score with the fast engine's token-level kernel, O(n²) per row.</summary>
        public ScoreActivation Activation { get; set; } = ScoreActivation.Identity;

        /// <summary>Standard deviation of the N(0, std²) initialisation. Range: ≥ 0. Default 0.05.</summary>
        public double InitialWeightStandardDeviation { get; set; } = Defaults.InitialWeightStandardDeviation;

        /// <summary>The optimizer. Default Adam.</summary>
        public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

        /// <summary>Base learning rate η. Range: &gt; 0. Default 0.02.</summary>
        public double LearningRate { get; set; } = Defaults.LearningRate;

        /// <summary>β₁ for Adam and AdamW. Range: [0, 1). Default 0.9.</summary>
        public double Beta1 { get; set; } = Defaults.Beta1;

        /// <summary>β₂ for Adam and AdamW. Range: [0, 1). Default 0.999.</summary>
        public double Beta2 { get; set; } = Defaults.Beta2;

        /// <summary>Momentum for SGD with momentum, RMSprop, sign-SGD and normalized SGD. Range: [0, 1). Default 0.9.</summary>
        public double Momentum { get; set; } = Defaults.Momentum;

        /// <summary>Weight decay; null uses the optimizer's default (0.01 for AdamW, else 0). Range: ≥ 0.</summary>
        public double? WeightDecay { get; set; }

        /// <summary>Global-norm gradient clipping threshold; null turns clipping off. Range: &gt; 0. Default 1.</summary>
        public double? GradientClipThreshold { get; set; } = Defaults.GradientClipThreshold;

        /// <summary>
        /// Steps whose training loss or gradient is non-finite that training may skip (the update is not applied) before
        /// <c>Fit</c> throws as diverged. Deep models trained to high accuracy can send a few rare prompts past float range
        /// whatever the learning rate (docs/training.md); skipping those batches lets training go on. Range: ≥ 0. Default
        /// 0: throw at the first.
        /// </summary>
        public int MaximumSkippedSteps { get; set; }

        /// <summary>Learning-rate schedule over the steps of each phase. Default constant.</summary>
        public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;

        /// <summary>Prompts per step (capped at the number of rows). Range: ≥ 1. Default 256.</summary>
        public int BatchSize { get; set; } = Defaults.BatchSize;

        /// <summary>Passes over the training data: ⌈epochs · rows / batch⌉ steps. Ignored when
        /// <see cref="NumberOfSteps"/> is set. Range: ≥ 1. Default 20.</summary>
        public int NumberOfEpochs { get; set; } = Defaults.NumberOfEpochs;

        /// <summary>Optimizer steps on the user's prompts, overriding <see cref="NumberOfEpochs"/>. Range: ≥ 1.</summary>
        public int? NumberOfSteps { get; set; }

        /// <summary>Steps of synthetic pre-training before the user's prompts (0: none). Range: ≥ 0.</summary>
        public int PretrainingSteps { get; set; } = Defaults.PretrainingSteps;

        /// <summary>The synthetic task of pre-training; its d and n are replaced by the data's. Null: Gaussian covariates,
        /// linear noise-free targets (the paper's Setting 1 family).</summary>
        public TaskOptions? PretrainingTask { get; set; }

        /// <summary>How the pre-training prompts are drawn: <see cref="PromptSampling.Tokens"/> (default) or
        /// <see cref="PromptSampling.Moments"/> (each prompt's S₀ and query from their exact law: same law, a faster step;
        /// needs linear attention on the CPU and a Gaussian linear <see cref="PretrainingTask"/>; see docs/training.md).</summary>
        public PromptSampling PretrainingSampling { get; set; } = PromptSampling.Tokens;

        /// <summary>Seed of the initialisation and of the pre-training prompts (the user's rows are read in data order).
        /// Range: ≥ 0. Default 0.</summary>
        public int Seed { get; set; }

        /// <summary>Torch device: "cpu" (default), "cuda", "cuda:1" (with a CUDA build of TorchSharp).</summary>
        public string Device { get; set; } = Defaults.Device;

        /// <summary>Torch threads during Fit; null leaves torch's setting unchanged. Range: ≥ 1.</summary>
        public int? NumberOfThreads { get; set; }

        /// <summary>Steps between progress reports (each also evaluates a fixed monitor batch). Range: ≥ 1. Default 50.</summary>
        public int ProgressInterval { get; set; } = Defaults.ProgressInterval;

        /// <summary>Receives progress during Fit (called synchronously on the training thread).</summary>
        public IProgress<LinearAttentionTrainingProgress>? Progress { get; set; }

        /// <summary>Cancels Fit between steps; Fit then throws <see cref="OperationCanceledException"/>.</summary>
        public CancellationToken CancellationToken { get; set; }

        internal Options Clone() => (Options)MemberwiseClone();

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
        internal void Validate()
        {
            Guard.NotEmpty(LabelColumnName, nameof(LabelColumnName));
            Guard.NotEmpty(FeatureColumnName, nameof(FeatureColumnName));
            if (ContextLengthColumnName is not null) Guard.NotEmpty(ContextLengthColumnName, nameof(ContextLengthColumnName));
            Guard.NotEmpty(ScoreColumnName, nameof(ScoreColumnName));
            Guard.Defined(Layout, nameof(Layout));
            if (Dimension is int d) Guard.Positive(d, nameof(Dimension));
            if (ContextLength is int n) Guard.Positive(n, nameof(ContextLength));
            Guard.Positive(NumberOfLayers, nameof(NumberOfLayers));
            Guard.Positive(NumberOfHeads, nameof(NumberOfHeads));
            Guard.Defined(Parametrization, nameof(Parametrization));
            Guard.Defined(Activation, nameof(Activation));
            Guard.NonNegative(InitialWeightStandardDeviation, nameof(InitialWeightStandardDeviation));
            Guard.Defined(Optimizer, nameof(Optimizer));
            Guard.Positive(LearningRate, nameof(LearningRate));
            Guard.InRange(Beta1, 0, 1, nameof(Beta1));
            Guard.InRange(Beta2, 0, 1, nameof(Beta2));
            Guard.InRange(Momentum, 0, 1, nameof(Momentum));
            if (WeightDecay is double wd) Guard.NonNegative(wd, nameof(WeightDecay));
            if (GradientClipThreshold is double c) Guard.Positive(c, nameof(GradientClipThreshold));
            Guard.NonNegative(MaximumSkippedSteps, nameof(MaximumSkippedSteps));
            try
            {
                Guard.NotNull(Schedule).Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentOutOfRangeException(nameof(Schedule), $"{nameof(Schedule)}: {e.Message}");
            }
            Guard.Positive(BatchSize, nameof(BatchSize));
            Guard.Positive(NumberOfEpochs, nameof(NumberOfEpochs));
            if (NumberOfSteps is int steps) Guard.Positive(steps, nameof(NumberOfSteps));
            Guard.NonNegative(PretrainingSteps, nameof(PretrainingSteps));
            Guard.Defined(PretrainingSampling, nameof(PretrainingSampling));
            Guard.NonNegative(Seed, nameof(Seed));
            Guard.NotEmpty(Device, nameof(Device));
            if (NumberOfThreads is int t) Guard.Positive(t, nameof(NumberOfThreads));
            Guard.Positive(ProgressInterval, nameof(ProgressInterval));
        }

        internal ModelOptions ToModelOptions(int dimension) => new()
        {
            Dimension = dimension,
            Layers = NumberOfLayers,
            Heads = NumberOfHeads,
            Parametrization = Parametrization,
            Activation = Activation,
            InitStd = InitialWeightStandardDeviation,
        };

        internal TrainingOptions ToTrainingOptions(int steps, int batchSize, int evaluationBatchSize) => new()
        {
            Steps = steps,
            BatchSize = batchSize,
            Optimizer = new OptimizerOptions
            {
                Kind = Optimizer,
                LearningRate = LearningRate,
                Beta1 = Beta1,
                Beta2 = Beta2,
                Momentum = Momentum,
                WeightDecay = WeightDecay,
            },
            ClipThreshold = GradientClipThreshold,
            MaxSkippedSteps = MaximumSkippedSteps,
            Schedule = Schedule,
            EvaluateEvery = ProgressInterval,
            EvaluationBatchSize = evaluationBatchSize,
            Seed = (ulong)Seed,
            Threads = NumberOfThreads,
            Device = Device,
        };
    }
}
