using LinAttn.MLNet;
using LinAttn.MLNet.Persistence;
using LinAttn.Model;
using LinAttn.Tests.TestKit;
using LinAttn.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace LinAttn.Tests.MLNet;

/// <summary>Fit on real training budgets: accuracy on held-out Setting 1 prompts, both layouts, padding, pre-training,
/// streaming, progress, cancellation, divergence.</summary>
public sealed class TrainingTests : TorchTest
{
    private const int FeatureCount = TrainedModelFixture.FeatureCount;
    private readonly ITestOutputHelper _output;

    public TrainingTests(ITestOutputHelper output) => _output = output;

    /// <summary>The pipeline: separate ContextX / ContextY / QueryX columns concatenated by ML.NET.</summary>
    public sealed class SplitPromptRow
    {
        [VectorType(100)] public float[] ContextX = Array.Empty<float>();
        [VectorType(20)] public float[] ContextY = Array.Empty<float>();
        [VectorType(5)] public float[] QueryX = Array.Empty<float>();
        public float Label;

        public static SplitPromptRow From(PromptRow row) => new()
        {
            ContextX = row.Features[..100], ContextY = row.Features[100..120], QueryX = row.Features[120..], Label = row.Label,
        };
    }

    [Fact]
    public void Setting1_HeldOutPrompts_RSquaredAbove09_WithTheConcatenatePipeline()
    {
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(PromptData.Rows(6000, 31, layout: PromptLayout.Concatenated).Select(SplitPromptRow.From));
        var test = ml.Data.LoadFromEnumerable(PromptData.Rows(1000, 32, layout: PromptLayout.Concatenated).Select(SplitPromptRow.From));
        var pipeline = ml.Transforms.Concatenate("Features", "ContextX", "ContextY", "QueryX")
            .Append(ml.Regression.Trainers.LinearAttention(new LinearAttentionRegressionTrainer.Options
            {
                Dimension = 5, Layout = PromptLayout.Concatenated, NumberOfSteps = 600, BatchSize = 256, NumberOfThreads = 1, Seed = 1,
            }));
        var model = pipeline.Fit(train);
        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(test));
        _output.WriteLine($"R² = {metrics.RSquared:F4}, RMSE = {metrics.RootMeanSquaredError:F4}");
        Assert.True(metrics.RSquared > 0.9, $"R² on held-out Setting 1 prompts was {metrics.RSquared}");
    }

    [Fact]
    public void PaddedPrompt_ScoresExactlyLikeTheSamePromptUnpadded()
    {
        var ml = new MLContext(seed: 0);
        var options = new ModelOptions { Dimension = 5, Layers = 3, Heads = 2 };
        double[] theta = PromptData.RandomParameters(options, 41, 0.2);
        var wide = new ModelPayload(options, 20, PromptLayout.Interleaved, "Features", "ContextLength", theta);
        PromptRow[] full = PromptData.Rows(40, 42);
        var padded = new List<PromptRow>();
        var expected = new List<float>();
        for (int b = 0; b < full.Length; b++)
        {
            int n = 1 + b % 20;
            // The prompt unpadded: its first n pairs and the query, scored by a model for N = n with the same weights.
            float[] unpadded = full[b].Features[..(n * 6)].Concat(full[b].Features[120..]).ToArray();
            var narrow = new ModelPayload(options, n, PromptLayout.Interleaved, "Features", null, theta);
            IDataView one = PromptData.ToDataView(ml, new[] { new PromptRow { Features = unpadded } }, n * 6 + 5);
            expected.Add(PromptData.Scores(LinearAttentionRegressionTransformer.Create(narrow, one, "Score").Transform(one))[0]);
            // Padded to N = 20 with garbage after pair n: it must be ignored.
            float[] withPadding = (float[])full[b].Features.Clone();
            for (int i = n * 6; i < 120; i++) withPadding[i] = 1e3f * (i % 7 - 3);
            padded.Add(new PromptRow { Features = withPadding, ContextLength = n });
        }
        IDataView data = PromptData.ToDataView(ml, padded, FeatureCount);
        float[] scores = PromptData.Scores(LinearAttentionRegressionTransformer.Create(wide, data, "Score").Transform(data));
        Assert.Equal(expected, scores);
    }

    [Fact]
    public void PaddingValues_DoNotChangeTraining()
    {
        var ml = new MLContext(seed: 0);
        PromptRow[] zeroPadded = PromptData.Rows(200, 43);
        PromptRow[] garbagePadded = PromptData.Rows(200, 43);
        for (int b = 0; b < zeroPadded.Length; b++)
        {
            int n = 3 + b % 18;
            zeroPadded[b].ContextLength = garbagePadded[b].ContextLength = n;
            for (int i = n * 6; i < 120; i++)
            {
                zeroPadded[b].Features[i] = 0;
                garbagePadded[b].Features[i] = 50f * MathF.Sin(i + b);
            }
        }
        var options = new LinearAttentionRegressionTrainer.Options
        {
            Dimension = 5, ContextLengthColumnName = "ContextLength", NumberOfSteps = 20, BatchSize = 64, NumberOfThreads = 1,
        };
        double[] a = ml.Regression.Trainers.LinearAttention(options).Fit(PromptData.ToDataView(ml, zeroPadded, FeatureCount)).Model.GetParameters();
        double[] b2 = ml.Regression.Trainers.LinearAttention(options).Fit(PromptData.ToDataView(ml, garbagePadded, FeatureCount)).Model.GetParameters();
        Assert.Equal(a, b2);
    }

    [Fact]
    public void Pretraining_ReportsBothPhases_AndHelpsWhenThereAreFewPrompts()
    {
        var ml = new MLContext(seed: 0);
        IDataView few = PromptData.ToDataView(ml, PromptData.Rows(64, 44), FeatureCount);
        IDataView test = PromptData.ToDataView(ml, PromptData.Rows(500, 45), FeatureCount);
        var reports = new List<LinearAttentionTrainingProgress>();
        LinearAttentionRegressionTrainer.Options Options(int pretraining) => new()
        {
            Dimension = 5, NumberOfSteps = 30, BatchSize = 64, PretrainingSteps = pretraining, NumberOfThreads = 1, ProgressInterval = 10,
            Progress = new SyncProgress(reports.Add),
        };
        double without = ml.Regression.Evaluate(ml.Regression.Trainers.LinearAttention(Options(0)).Fit(few).Transform(test)).RSquared;
        reports.Clear();
        double with = ml.Regression.Evaluate(ml.Regression.Trainers.LinearAttention(Options(300)).Fit(few).Transform(test)).RSquared;
        _output.WriteLine($"R² without pre-training {without:F3}, with 300 steps {with:F3}");
        Assert.True(with > without + 0.1, $"R² with pre-training {with} vs without {without}");
        Assert.Contains(reports, r => r.Phase == LinearAttentionTrainingPhase.Pretraining && r.Progress.TotalSteps == 300);
        Assert.Equal(LinearAttentionTrainingPhase.Training, reports[^1].Phase);
        Assert.Equal(30, reports[^1].Progress.Step);
        Assert.True(reports.FindIndex(r => r.Phase == LinearAttentionTrainingPhase.Training)
            > reports.FindLastIndex(r => r.Phase == LinearAttentionTrainingPhase.Pretraining));
    }

    [Fact]
    public void Pretraining_OnMoments_HelpsLikeTokens_AndIsRefusedWhereItCannotRun()
    {
        var ml = new MLContext(seed: 0);
        IDataView few = PromptData.ToDataView(ml, PromptData.Rows(64, 44), FeatureCount);
        IDataView test = PromptData.ToDataView(ml, PromptData.Rows(500, 45), FeatureCount);
        LinearAttentionRegressionTrainer.Options Options(int pretraining) => new()
        {
            Dimension = 5, NumberOfSteps = 30, BatchSize = 64, PretrainingSteps = pretraining, NumberOfThreads = 1,
            PretrainingSampling = LinAttn.Training.PromptSampling.Moments,
        };
        double without = ml.Regression.Evaluate(ml.Regression.Trainers.LinearAttention(Options(0)).Fit(few).Transform(test)).RSquared;
        double with = ml.Regression.Evaluate(ml.Regression.Trainers.LinearAttention(Options(300)).Fit(few).Transform(test)).RSquared;
        _output.WriteLine($"R² without pre-training {without:F3}, with 300 steps on moments {with:F3}");
        Assert.True(with > without + 0.1, $"R² with pre-training on moments {with} vs without {without}");

        var softmax = Options(10);
        softmax.Activation = LinAttn.Model.ScoreActivation.Softmax;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.LinearAttention(softmax).Fit(few));
        Assert.Equal("PretrainingSampling", error.ParamName);
        Assert.Contains("Activation is Softmax", error.Message);
        var sphere = Options(10);
        sphere.PretrainingTask = new LinAttn.Tasks.TaskOptions { Covariates = LinAttn.Tasks.CovariateDistribution.Sphere };
        error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.LinearAttention(sphere).Fit(few));
        Assert.Equal("PretrainingSampling", error.ParamName);
        Assert.Contains("Covariates is Sphere", error.Message);
    }

    [Fact]
    public void Cancellation_StopsFit_WithOperationCanceledException()
    {
        var ml = new MLContext(seed: 0);
        using var cts = new CancellationTokenSource();
        var options = new LinearAttentionRegressionTrainer.Options
        {
            Dimension = 5, NumberOfSteps = 100_000, BatchSize = 16, NumberOfThreads = 1, ProgressInterval = 5,
            CancellationToken = cts.Token,
            Progress = new SyncProgress(p => { if (p.Progress.Step >= 10) cts.Cancel(); }),
        };
        var error = Assert.Throws<OperationCanceledException>(() =>
            ml.Regression.Trainers.LinearAttention(options).Fit(PromptData.ToDataView(ml, PromptData.Rows(100, 46), FeatureCount)));
        Assert.Contains("cancelled during training after", error.Message);
        Assert.Equal(cts.Token, error.CancellationToken);
    }

    [Fact]
    public void Divergence_StopsFit_NamingTheStepAndCauses()
    {
        var ml = new MLContext(seed: 0);
        var options = new LinearAttentionRegressionTrainer.Options
        {
            Dimension = 5, NumberOfSteps = 200, BatchSize = 32, NumberOfThreads = 1, Optimizer = OptimizerKind.Sgd,
            LearningRate = 1e4, GradientClipThreshold = null,
        };
        var error = Assert.Throws<InvalidOperationException>(() =>
            ml.Regression.Trainers.LinearAttention(options).Fit(PromptData.ToDataView(ml, PromptData.Rows(100, 47), FeatureCount)));
        Assert.Contains("diverged at step", error.Message);
        Assert.Contains("clipping is off", error.Message);
    }

    [Fact]
    public void MaximumSkippedSteps_TrainsPastARowThatOverflows_WhichTheDefaultStopsAt()
    {
        var ml = new MLContext(seed: 0);
        // One prompt whose prediction overflows, past the first 1000 rows (the fixed monitor batch, which must stay finite).
        PromptRow[] rows = PromptData.Rows(1100, 49);
        for (int i = 0; i < rows[1050].Features.Length; i++) rows[1050].Features[i] *= 1e12f;
        IDataView data = PromptData.ToDataView(ml, rows, FeatureCount);
        LinearAttentionRegressionTrainer.Options Options(int skips) => new()
        {
            Dimension = 5, NumberOfEpochs = 3, BatchSize = 50, NumberOfThreads = 1, MaximumSkippedSteps = skips,
        };
        var error = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.LinearAttention(Options(0)).Fit(data));
        Assert.Contains("diverged at step", error.Message);
        Assert.True(error.Message.Contains("1 of the batch's 50 prompts carries 99% of its squared error"), error.Message);

        // The row is in one batch per epoch: three steps to skip.
        LinearAttentionRegressionTransformer model = ml.Regression.Trainers.LinearAttention(Options(3)).Fit(data);
        float[] scores = PromptData.Scores(model.Transform(PromptData.ToDataView(ml, PromptData.Rows(20, 50), FeatureCount)));
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void Fit_StreamsThroughCursors_AndNeedsNoRowCount()
    {
        var ml = new MLContext(seed: 0);
        var inner = PromptData.ToDataView(ml, PromptData.Rows(100, 48), FeatureCount);
        var counting = new CountingDataView(inner);
        var options = new LinearAttentionRegressionTrainer.Options { Dimension = 5, NumberOfEpochs = 3, BatchSize = 40, NumberOfThreads = 1 };
        LinearAttentionRegressionTransformer model = ml.Regression.Trainers.LinearAttention(options).Fit(counting);
        // 1 counting pass + 1 monitor batch + 3 epochs of 40-row batches over 100 rows = 8 steps = 320 rows → 4 passes.
        Assert.Equal(6, counting.CursorsOpened);
        Assert.All(PromptData.Scores(model.Transform(inner)), s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void SameSeed_GivesTheSameModel()
    {
        var ml = new MLContext(seed: 0);
        IDataView data = PromptData.ToDataView(ml, PromptData.Rows(200, 49), FeatureCount);
        var options = new LinearAttentionRegressionTrainer.Options { Dimension = 5, NumberOfSteps = 10, BatchSize = 50, NumberOfThreads = 1, Seed = 7 };
        Assert.Equal(ml.Regression.Trainers.LinearAttention(options).Fit(data).Model.GetParameters(),
            ml.Regression.Trainers.LinearAttention(options).Fit(data).Model.GetParameters());
    }

    private sealed class SyncProgress(Action<LinearAttentionTrainingProgress> report) : IProgress<LinearAttentionTrainingProgress>
    {
        public void Report(LinearAttentionTrainingProgress value) => report(value);
    }

    /// <summary>Forwards to another view, hides its row count and counts the cursors opened.</summary>
    private sealed class CountingDataView(IDataView inner) : IDataView
    {
        public int CursorsOpened { get; private set; }
        public bool CanShuffle => false;
        public DataViewSchema Schema => inner.Schema;
        public long? GetRowCount() => null;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, System.Random? rand = null)
        {
            CursorsOpened++;
            return inner.GetRowCursor(columnsNeeded, rand);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, System.Random? rand = null)
            => new[] { GetRowCursor(columnsNeeded, rand) };
    }
}
