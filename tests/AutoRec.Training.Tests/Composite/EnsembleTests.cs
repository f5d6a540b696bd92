using AutoRec.Export;
using AutoRec.Training.Cli;
using AutoRec.Training.Composite;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Sparse;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>
/// An ensemble of seeds is one network: the merged network computes the members' mean, its scores are the mean's,
/// and it exports through the same contract as a single model.
/// </summary>
public sealed class EnsembleTests
{
    [Theory]
    [InlineData("item-based", new[] { 6 })]
    [InlineData("user-based", new[] { 6, 4, 5 })]
    public void The_merged_network_computes_the_members_mean(string kind, int[] layers)
    {
        ModelKind modelKind = kind == "item-based" ? ModelKind.ItemBased : ModelKind.UserBased;
        TrainingData data = SyntheticRatings.Data(modelKind);
        ModelConfig config = SyntheticRatings.Config(modelKind) with { Layers = layers, Ensemble = 3, Epochs = 4, Dropout = 0.2 };
        var progress = new RecordingProgress();

        TrainingOutcome outcome = EnsembleTrainer.Run(config, data, progress, null);

        ModelConfig merged = EnsembleTrainer.MergedConfig(config);
        Assert.Equal(layers.Select(size => size * 3), merged.Layers);
        Assert.Equal(0, merged.Ensemble);
        Assert.Equal(3, progress.Messages.Count(m => m.StartsWith("ensemble member ", StringComparison.Ordinal)));
        Assert.Equal(12, progress.Epochs.Count);
        using var path = new SparseTrainingPath(merged, data, (AutoencoderNetwork)outcome.Network);
        float[][] predicted = path.Predict(data.Validation, data.Test);
        for (int i = 0; i < data.Test.Length; i++)
        {
            Assert.Equal(outcome.TestPredictions[i], predicted[1][i], 4);
        }

        // Different seeds made different members: the mean is not any one of them.
        TrainingOutcome single = new Trainer(config with { Ensemble = 0 }, data, new RecordingProgress(), null).Run();
        Assert.NotEqual(single.Test.Global, outcome.Test.Global);
    }

    [Fact]
    public void An_ensemble_trains_and_exports_through_the_same_commands()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, (SyntheticRatings.Config(ModelKind.ItemBased) with { Ensemble = 2, Epochs = 3 }).ToJson());
        string model = temp.PathOf("model");

        RunMetrics metrics = Commands.Train(data, config, model, "tiny", new RecordingProgress());

        Assert.Equal([16], ModelConfig.Load(Path.Combine(model, "config.json")).Layers);
        Assert.InRange(Exporter.Export(model, data, new RecordingProgress()), 0f, Exporter.Tolerance);
        Assert.True(double.IsFinite(metrics.TestRmse));
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tied")]
    public void Ensembles_need_an_identity_output_and_untied_weights(string change)
    {
        string json = change == "tied"
            ? """{ "layers": [4], "ensemble": 2, "tied_weights": true }"""
            : """{ "layers": [4], "ensemble": 2, "output_activation": "sigmoid" }""";
        ConfigException e = Assert.Throws<ConfigException>(() => ModelConfig.Parse(json, "c.json"));
        Assert.Contains("ensemble needs an identity output", e.Message, StringComparison.Ordinal);
    }
}
