using AutoRec.Data;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

public sealed class TrainerTests
{
    [Fact]
    public void Same_seed_repeats_metrics_exactly_and_another_seed_does_not()
    {
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config() with { Dropout = 0.3, MaskingNoise = 0.2 };
        TrainingOutcome first = new Trainer(config, data, new RecordingProgress(), null).Run();
        TrainingOutcome second = new Trainer(config, data, new RecordingProgress(), null).Run();
        TrainingOutcome other = new Trainer(config with { Seed = 8 }, data, new RecordingProgress(), null).Run();

        Assert.Equal(first.History.Select(h => h.ValidationRmse), second.History.Select(h => h.ValidationRmse));
        Assert.Equal(first.Test, second.Test);
        Assert.NotEqual(first.History.Select(h => h.ValidationRmse), other.History.Select(h => h.ValidationRmse));
    }

    [Fact]
    public void Training_lowers_the_training_error()
    {
        TrainingData data = SyntheticRatings.Data();
        TrainingOutcome outcome = new Trainer(SyntheticRatings.Config() with { Epochs = 30 }, data, new RecordingProgress(), null).Run();
        Assert.True(outcome.History[^1].TrainRmse < outcome.History[0].TrainRmse - 0.1, $"{outcome.History[0].TrainRmse} -> {outcome.History[^1].TrainRmse}");
    }

    [Theory]
    [InlineData("sparse")]
    [InlineData("dense")]
    public void Output_biases_started_at_the_mean_predict_the_mean_before_learning(string path)
    {
        // A learning rate too small to move anything: the first epoch's predictions are the starting network's.
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config() with { Epochs = 1, LearningRate = 1e-12 };
        double mean = data.TrainRatings.Average(r => r.Value);
        double meanRmse = Math.Sqrt(data.Validation.Average(r => (r.Value - mean) * (r.Value - mean)));
        double fromMean = Run(config with { OutputBias = OutputBiasStart.Mean }).History[0].ValidationRmse;
        double fromZero = Run(config).History[0].ValidationRmse;
        Assert.True(Math.Abs(fromMean - meanRmse) < 0.1 * meanRmse, $"from the mean: {fromMean}, the mean predictor: {meanRmse}");
        Assert.True(fromZero > mean - 1, $"from zero the predictions start near 0: {fromZero}");

        TrainingOutcome Run(ModelConfig c) => new Trainer(c, data, new RecordingProgress(), null, TrainingPath.Resolve(c, path)).Run();
    }

    [Fact]
    public void A_diverging_run_fails_with_a_clear_error()
    {
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config() with
        {
            LearningRate = 1e12, Loss = LossKind.MaskedSse, HiddenActivation = Activation.Identity, Epochs = 50,
        };
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(config, data, new RecordingProgress(), null).Run());
        Assert.Contains("diverged", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Epoch, 1, 50);
    }

    [Fact]
    public void Early_stopping_restores_the_best_epoch()
    {
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config() with { Epochs = 200, Patience = 3, LearningRate = 0.05, Layers = [64], HiddenActivation = Activation.Relu };
        TrainingOutcome outcome = new Trainer(config, data, new RecordingProgress(), null).Run();
        Assert.True(outcome.StoppedEarly);
        Assert.Equal(outcome.BestEpoch + 3, outcome.History.Count);
        Assert.Equal(outcome.History.Min(h => h.ValidationRmse), outcome.History[outcome.BestEpoch - 1].ValidationRmse);
        Assert.Equal(outcome.History[outcome.BestEpoch - 1].ValidationRmse, outcome.Validation.Global, 10);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_resumed_run_continues_exactly_where_it_stopped(int lrDecayPatience)
    {
        using var straightDir = new TempDir();
        using var resumedDir = new TempDir();
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config() with { Epochs = 6, Dropout = 0.2, LrDecayPatience = lrDecayPatience, LearningRate = 0.05 };

        TrainingOutcome straight = new Trainer(config, data, new RecordingProgress(), straightDir.Root).Run();

        using var cancel = new CancellationTokenSource();
        var interrupted = new RecordingProgress(cancel, cancelEpoch: 3);
        Assert.Throws<OperationCanceledException>(() => new Trainer(config, data, interrupted, resumedDir.Root).Run(cancel.Token));
        Assert.Equal(3, interrupted.Epochs.Count);

        var resumedProgress = new RecordingProgress();
        TrainingOutcome resumed = new Trainer(config, data, resumedProgress, resumedDir.Root).Run();
        Assert.Equal(new[] { 4, 5, 6 }, resumedProgress.Epochs.Select(e => e.Epoch));
        Assert.Contains(resumedProgress.Messages, m => m.Contains("resuming", StringComparison.Ordinal));
        Assert.Equal(straight.History.Select(h => h.ValidationRmse), resumed.History.Select(h => h.ValidationRmse));
        Assert.Equal(straight.Test, resumed.Test);
    }

    [Fact]
    public void The_learning_rate_decays_after_epochs_without_improvement()
    {
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config() with { Epochs = 40, LearningRate = 0.05, Layers = [64], HiddenActivation = Activation.Relu };
        var constant = new RecordingProgress();
        TrainingOutcome withoutDecay = new Trainer(config, data, constant, null).Run();
        var decaying = new RecordingProgress();
        TrainingOutcome withDecay = new Trainer(config with { LrDecayPatience = 2, LrDecayFactor = 0.25 }, data, decaying, null).Run();

        Assert.DoesNotContain(constant.Messages, m => m.Contains("learning rate now", StringComparison.Ordinal));
        string[] decays = decaying.Messages.Where(m => m.Contains("learning rate now", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(decays);
        Assert.Contains("learning rate now 0.0125", decays[0], StringComparison.Ordinal);
        Assert.NotEqual(withoutDecay.History[^1].TrainRmse, withDecay.History[^1].TrainRmse);
    }

    [Fact]
    public void A_checkpoint_keeps_one_consistent_set_of_files()
    {
        using var dir = new TempDir();
        TrainingData data = SyntheticRatings.Data();
        _ = new Trainer(SyntheticRatings.Config() with { Epochs = 4 }, data, new RecordingProgress(), dir.Root).Run();
        string[] files = Directory.GetFiles(dir.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(3, files.Count(f => f.EndsWith(".bin", StringComparison.Ordinal))); // network, optimizer, best
        Assert.Contains("network-00004.bin", files);
        Assert.Contains("optimizer-00004.bin", files);
        Assert.Contains("state.json", files);
        Assert.DoesNotContain(files, f => f.StartsWith("network-0000", StringComparison.Ordinal) && f != "network-00004.bin");
        Assert.Empty(Directory.GetFiles(dir.Root, "*.tmp"));
    }

    [Fact]
    public void An_unreadable_checkpoint_is_reported_and_training_starts_over()
    {
        using var dir = new TempDir();
        TrainingData data = SyntheticRatings.Data();
        _ = new Trainer(SyntheticRatings.Config() with { Epochs = 2 }, data, new RecordingProgress(), dir.Root).Run();
        File.WriteAllText(Path.Combine(dir.Root, "state.json"), "{ not json");
        var progress = new RecordingProgress();
        _ = new Trainer(SyntheticRatings.Config() with { Epochs = 3 }, data, progress, dir.Root).Run();
        Assert.Equal(new[] { 1, 2, 3 }, progress.Epochs.Select(e => e.Epoch));
        Assert.Contains(progress.Messages, m => m.Contains("unreadable", StringComparison.Ordinal));
    }

    [Fact]
    public void A_split_without_validation_ratings_trains_and_checkpoints()
    {
        using var dir = new TempDir();
        RatingSplit split = RatingSplitter.Split(SyntheticRatings.Generate(), new SplitOptions(5, TestFraction: 0.1, ValidationFraction: 0));
        TrainingData data = TrainingData.Create(ModelKind.UserBased, split.Train, split.Validation, split.Test);
        Assert.Empty(data.Validation);
        TrainingOutcome outcome = new Trainer(SyntheticRatings.Config() with { Epochs = 3, Patience = 2 }, data, new RecordingProgress(), dir.Root).Run();
        Assert.Equal(3, outcome.BestEpoch); // without validation the last epoch is the best
        Assert.True(double.IsNaN(outcome.Validation.Global));
        Assert.True(double.IsFinite(outcome.Test.Global));
    }

    [Fact]
    public void A_checkpoint_of_another_config_is_not_resumed()
    {
        using var dir = new TempDir();
        TrainingData data = SyntheticRatings.Data();
        _ = new Trainer(SyntheticRatings.Config() with { Epochs = 2 }, data, new RecordingProgress(), dir.Root).Run();
        var progress = new RecordingProgress();
        _ = new Trainer(SyntheticRatings.Config() with { Epochs = 3, LearningRate = 0.02 }, data, progress, dir.Root).Run();
        Assert.Equal(new[] { 1, 2, 3 }, progress.Epochs.Select(e => e.Epoch));
    }

    [Theory]
    [InlineData(nameof(ModelConfig.DenseRefeeding))]
    [InlineData(nameof(ModelConfig.GaussianNoise))]
    [InlineData(nameof(ModelConfig.InputDropout))]
    [InlineData(nameof(ModelConfig.MaskingNoise))]
    [InlineData(nameof(ModelConfig.Dropout))]
    public void Each_training_option_changes_the_result(string option)
    {
        TrainingData data = SyntheticRatings.Data();
        ModelConfig baseline = SyntheticRatings.Config() with { Epochs = 3 };
        ModelConfig changed = option switch
        {
            nameof(ModelConfig.DenseRefeeding) => baseline with { DenseRefeeding = true },
            nameof(ModelConfig.GaussianNoise) => baseline with { GaussianNoise = 0.3 },
            nameof(ModelConfig.InputDropout) => baseline with { InputDropout = 0.3 },
            nameof(ModelConfig.MaskingNoise) => baseline with { MaskingNoise = 0.3 },
            _ => baseline with { Dropout = 0.3 },
        };
        double a = new Trainer(baseline, data, new RecordingProgress(), null).Run().History[^1].TrainRmse;
        double b = new Trainer(changed, data, new RecordingProgress(), null).Run().History[^1].TrainRmse;
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Item_based_models_with_side_information_train()
    {
        var movies = Enumerable.Range(0, 30).Select(j => new Movie((j * 3) + 2, $"m{j}", j % 3 == 0 ? "Drama" : "Comedy|Crime")).ToArray();
        TrainingData data = SyntheticRatings.Data(ModelKind.ItemBased, SideFeatures.ForMovies(movies));
        var trainer = new Trainer(SyntheticRatings.Config(ModelKind.ItemBased) with { SideInformation = true }, data, new RecordingProgress(), null);
        Assert.Equal(data.ColumnCount + 3, trainer.InputWidth);
        TrainingOutcome outcome = trainer.Run();
        Assert.True(double.IsFinite(outcome.Test.Global));
    }
}
