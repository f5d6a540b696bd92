using AutoRec.Training.Configuration;
using AutoRec.Training.Sparse;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>
/// Input noise on the sparse path. Input dropout on a zero-filled input: the observed ratings are dropped at the
/// rate and the survivors scaled by 1 / (1 - p), as dropout over the whole (mostly zero) input does; the targets
/// keep them all. Gaussian noise: on every rating input (the exact gradients are in SparseGradientTests). Both
/// train like the dense path on average (their draws differ).
/// </summary>
public sealed class InputNoiseTests
{
    [Fact]
    public void Observed_ratings_are_dropped_at_the_rate_and_the_rest_scaled_up()
    {
        var data = SyntheticRatings.Data(seed: 2);
        ModelConfig config = SyntheticRatings.Config() with { InputDropout = 0.4 };
        var fill = new SparseFill(config, data);
        int[] rows = [.. Enumerable.Range(0, data.RowCount)];
        var batch = new SparseBatch(data.RowCount, data.ColumnCount, 1);
        batch.LoadTraining(rows, data.Ratings, fill, config.InputDropout, CounterRandom.Key(7, 1, 1), config.Loss, (float)(1 / (1 - config.InputDropout)));

        int entries = batch.TargetCount;
        int dropped = 0;
        for (int e = 0; e < entries; e++)
        {
            if (batch.EntryInput[e] == 0)
            {
                dropped++;
            }
            else
            {
                Assert.Equal(batch.EntryTarget[e] / 0.6f, batch.EntryInput[e], 5);
            }
        }

        Assert.Equal(data.TrainRatings.Length, entries);
        Assert.InRange(dropped / (double)entries, 0.33, 0.47);
    }

    [Fact]
    public void Scaling_needs_a_zero_fill()
    {
        var data = SyntheticRatings.Data();
        var fill = new SparseFill(SyntheticRatings.Config() with { Default = DefaultRating.UserMean }, data);
        var batch = new SparseBatch(4, data.ColumnCount, 1);
        Assert.Throws<ArgumentException>(() => batch.LoadTraining([0, 1], data.Ratings, fill, 0.2, 1, LossKind.MaskedMse, 1.25f));
    }

    [Theory]
    [InlineData("input_dropout")]
    [InlineData("gaussian_noise")]
    public void Noise_on_the_sparse_path_trains_like_the_dense_path_on_average(string noise)
    {
        // Different generators draw different masks, so compare where training ends, not step by step.
        var data = SyntheticRatings.Data(seed: 4);
        ModelConfig config = SyntheticRatings.Config() with { Epochs = 30, LearningRate = 0.02 };
        config = noise == "input_dropout" ? config with { InputDropout = 0.3 } : config with { GaussianNoise = 0.3 };
        double sparse = new Trainer(config, data, new RecordingProgress(), null, TrainingPath.Resolve(config, "sparse")).Run().Validation.Global;
        double dense = new Trainer(config, data, new RecordingProgress(), null, TrainingPath.Resolve(config, "dense")).Run().Validation.Global;
        Assert.InRange(sparse - dense, -0.05, 0.05);
    }
}
