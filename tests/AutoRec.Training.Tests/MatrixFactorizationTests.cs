using AutoRec.Training.Baselines;
using AutoRec.Training.Data;

namespace AutoRec.Training.Tests;

/// <summary>Biased matrix factorisation by alternating least squares: it learns low-rank data, selects its sweep on validation, and repeats with its seed.</summary>
public sealed class MatrixFactorizationTests
{
    [Fact]
    public void It_beats_the_mean_on_low_rank_data_and_repeats_exactly()
    {
        TrainingData data = SyntheticRatings.Data(seed: 3);
        var config = new MatrixFactorizationConfig(Factors: 2, L2: 0.05, Sweeps: 8, Seed: 1);
        var progress = new RecordingProgress();

        TrainingOutcomeOfBaseline first = new BiasedMatrixFactorization(config, data).Train(progress);
        TrainingOutcomeOfBaseline second = new BiasedMatrixFactorization(config, data).Train(new RecordingProgress());

        double meanOnly = Math.Sqrt(data.Test.Average(r => (r.Value - data.GlobalMean) * (r.Value - data.GlobalMean)));
        Assert.True(first.Test.Global < meanOnly * 0.9, $"test RMSE {first.Test.Global:F4}, predicting the mean {meanOnly:F4}");
        Assert.Equal(8, progress.Epochs.Count);
        Assert.Equal(first.History.MinBy(h => h.ValidationRmse)!.Epoch, first.BestEpoch);
        Assert.Equal(first.TestPredictions, second.TestPredictions);
        Assert.Equal(data.Test.Length, first.TestPredictions.Length);
    }

    [Fact]
    public void The_item_based_layout_is_refused()
    {
        TrainingData items = SyntheticRatings.Data(ModelKind.ItemBased);
        Assert.Throws<ArgumentException>(() => new BiasedMatrixFactorization(new MatrixFactorizationConfig(), items));
    }
}
