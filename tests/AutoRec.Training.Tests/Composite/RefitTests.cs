using AutoRec.Data;
using AutoRec.Training.Composite;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>
/// Protocol B (<see cref="RefitTrainer"/>): what A chose (<see cref="ModelSelection"/>) is recorded per network, and a refit
/// trains each network for its own chosen epochs on train + validation and blends towers with A's weights.
/// </summary>
public sealed class RefitTests
{
    [Fact]
    public void Protocol_a_records_each_members_and_towers_choice()
    {
        TrainingData data = SyntheticRatings.Data(ModelKind.ItemBased);
        ModelConfig config = SyntheticRatings.Config(ModelKind.ItemBased) with
        {
            Towers =
            [
                SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [6], Epochs = 4 },
                SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [5], Epochs = 5, Ensemble = 2, Seed = 3 },
            ],
        };

        TrainingOutcome outcome = EnsembleTrainer.Run(config, data, new RecordingProgress(), null);

        ModelSelection selected = outcome.Selected;
        Assert.Equal(3, selected.Weights!.Count); // intercept and one weight per tower
        Assert.Equal(2, selected.Parts.Count);
        Assert.Empty(selected.Parts[0].Parts);
        Assert.InRange(selected.Parts[0].Epochs, 1, 4);
        Assert.Equal(2, selected.Parts[1].Parts.Count);
        Assert.All(selected.Parts[1].Parts, p => Assert.InRange(p.Epochs, 1, 5));
    }

    [Fact]
    public void An_ensemble_refit_trains_each_member_for_its_own_epochs_on_train_and_validation()
    {
        TrainingData data = RefitData();
        ModelConfig config = SyntheticRatings.Config(ModelKind.ItemBased) with { Ensemble = 2, Epochs = 6, LrSchedule = LearningRateSchedule.Cosine };
        var progress = new RecordingProgress();

        TrainingOutcome outcome = RefitTrainer.Run(config, data, new ModelSelection(3, [ModelSelection.Of(2), ModelSelection.Of(4)]), progress, null);

        Assert.Equal([1, 2, 1, 2, 3, 4], progress.Epochs.Select(e => e.Epoch));
        Assert.True(double.IsNaN(outcome.Validation.Global)); // nothing held out
        Assert.True(double.IsFinite(outcome.Test.Global));
        Assert.Contains(progress.Messages, m => m.Contains("refit of ensemble member 2 of 2 (seed 8): 4 epochs", StringComparison.Ordinal));
    }

    [Fact]
    public void A_refit_of_towers_blends_them_with_the_weights_of_a()
    {
        TrainingData data = RefitData();
        ModelConfig first = SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [6], Epochs = 4 };
        ModelConfig second = SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [5], Epochs = 3, Seed = 3 };
        ModelConfig config = SyntheticRatings.Config(ModelKind.ItemBased) with { Towers = [first, second] };
        double[] weights = [0.2, 0.7, 0.25];

        TrainingOutcome outcome = RefitTrainer.Run(config, data, new ModelSelection(3, [ModelSelection.Of(3), ModelSelection.Of(2)], weights), new RecordingProgress(), null);

        // Each tower alone, refit for its epochs (runs are deterministic), blended by hand with the same weights.
        float[] a = new Trainer(first, data, new RecordingProgress(), null, lastEpoch: 3).Run().TestPredictions;
        float[] b = new Trainer(second, data, new RecordingProgress(), null, lastEpoch: 2).Run().TestPredictions;
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(0.2 + (0.7 * a[i]) + (0.25 * b[i]), outcome.TestPredictions[i], 1e-5);
        }

        Assert.Equal(weights, outcome.Selected.Weights);
    }

    [Fact]
    public void What_cannot_be_refit_is_refused()
    {
        TrainingData data = RefitData();
        ModelConfig config = SyntheticRatings.Config(ModelKind.ItemBased);
        var progress = new RecordingProgress();
        Assert.Contains("lr_decay_patience", Assert.Throws<ArgumentException>(() => RefitTrainer.Run(config with { LrDecayPatience = 3 }, data, ModelSelection.Of(2), progress, null)).Message, StringComparison.Ordinal);
        Assert.Contains("no chosen epoch", Assert.Throws<ArgumentException>(() => RefitTrainer.Run(config, data, ModelSelection.Of(0), progress, null)).Message, StringComparison.Ordinal);
        Assert.Contains("2 parts, its selection 1", Assert.Throws<ArgumentException>(() => RefitTrainer.Run(config with { Ensemble = 2 }, data, new ModelSelection(2, [ModelSelection.Of(2)]), progress, null)).Message, StringComparison.Ordinal);
        Assert.Contains("has no weights", Assert.Throws<ArgumentException>(() => RefitTrainer.Run(config with { Towers = [config, config] }, data, new ModelSelection(2, [ModelSelection.Of(2), ModelSelection.Of(2)]), progress, null)).Message, StringComparison.Ordinal);
    }

    /// <summary>The synthetic split with its validation ratings moved into training (protocol B's data).</summary>
    private static TrainingData RefitData()
    {
        RatingSplit split = RatingSplitter.Split(SyntheticRatings.Generate(seed: 1), new SplitOptions(1));
        return TrainingData.Create(ModelKind.ItemBased, [.. split.Train, .. split.Validation], [], split.Test);
    }
}
