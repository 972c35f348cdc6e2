using LinAttn.Diagnostics;
using LinAttn.Training;

namespace LinAttn.Tests.Diagnostics;

/// <summary>Mean and unbiased std across seeds, aligned by step.</summary>
public sealed class SeedBandTests
{
    [Fact]
    public void Across_AlignsBySteps_AndSkipsMissingOrNonFinite()
    {
        var a = new StepSeries(new[] { 0, 50, 100 }, new[] { 1.0, 2.0, 3.0 });
        var b = new StepSeries(new[] { 0, 50, 100 }, new[] { 3.0, double.NaN, 5.0 });
        var c = new StepSeries(new[] { 0, 100, 150 }, new[] { 5.0, 7.0, 9.0 });
        SeedBand band = SeedBand.Across(new[] { a, b, c });
        Assert.Equal(new[] { 0, 50, 100, 150 }, band.Steps);
        Assert.Equal(new[] { 3, 1, 3, 1 }, band.Counts);
        Assert.Equal(3.0, band.MeanAt(0), 12);
        Assert.Equal(2.0, band.StandardDeviationAt(0), 12);     // {1, 3, 5}: unbiased std 2
        Assert.Equal(0.0, band.StandardDeviationAt(50));
        Assert.Equal(5.0, band.MeanAt(100), 12);
        Assert.Equal(9.0, band.FinalMean);
        Assert.True(double.IsNaN(band.MeanAt(75)));
        SeedBand logs = SeedBand.Across(new[] { a }, Math.Log);
        Assert.Equal(Math.Log(3), logs.MeanAt(100), 12);
    }

    [Fact]
    public void LossCurves_AggregateEvaluationLosses()
    {
        var h1 = new TrainingHistory { EvaluationSteps = { 0, 10 }, EvaluationLoss = { 4, 2 } };
        var h2 = new TrainingHistory { EvaluationSteps = { 0, 10 }, EvaluationLoss = { 6, 4 } };
        SeedBand band = LossCurves.Aggregate(new[] { h1, h2 });
        Assert.Equal(5.0, band.MeanAt(0), 12);
        Assert.Equal(Math.Sqrt(2), band.StandardDeviationAt(10), 12);
    }
}
