using AutoRec.Export;
using AutoRec.Training.Cli;
using AutoRec.Training.Composite;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>
/// A blend of towers is one network: each tower trains as its own config, the least-squares blend fit on validation
/// is folded into the towers' output layers, and the sum exports through the same contract as a single model.
/// </summary>
public sealed class TowerTests
{
    private static ModelConfig Blend() => SyntheticRatings.Config(ModelKind.ItemBased) with
    {
        Towers =
        [
            SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [6], Epochs = 4 },
            SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [5, 4], Epochs = 3, Ensemble = 2, Seed = 7 },
            SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [4], Epochs = 3, KernelDimensions = 2, Seed = 9 }, // scaled through its kernel
        ],
    };

    [Fact]
    public void The_tower_network_computes_the_blend_fit_on_validation()
    {
        TrainingData data = SyntheticRatings.Data(ModelKind.ItemBased);
        ModelConfig config = Blend();
        var progress = new RecordingProgress();

        TrainingOutcome outcome = EnsembleTrainer.Run(config, data, progress, null);

        var network = Assert.IsType<TowerNetwork>(outcome.Network);
        Assert.Equal([6], network.Towers[0].ToWeights().Layers.Take(1).Select(l => l.Outputs));
        Assert.Equal([10, 8], network.Towers[1].ToWeights().Layers.Take(2).Select(l => l.Outputs)); // the 2-seed tower, merged
        Assert.Equal(3, progress.Messages.Count(m => m.StartsWith("tower ", StringComparison.Ordinal)));

        // The network's predictions at the test ratings are the blended ones the outcome scored.
        float[] all = TorchReference.Predict(network, EnsembleTrainer.MergedConfig(config), data, data.Train, null, data.RowCount);
        for (int i = 0; i < data.Test.Length; i++)
        {
            HeldOutRating r = data.Test[i];
            Assert.Equal(Math.Clamp(outcome.TestPredictions[i], 1f, 5f), all[(r.Row * data.ColumnCount) + r.Column], 4);
        }

        // Least squares on validation with an intercept is at least as good there as the first tower alone (the same
        // config and seed trained again: a CPU run repeats).
        TrainingOutcome first = EnsembleTrainer.Run(config.Towers![0], data, new RecordingProgress(), null);
        Assert.True(outcome.Validation.Global <= first.Validation.Global + 1e-6, $"blend {outcome.Validation.Global}, tower {first.Validation.Global}");
    }

    [Fact]
    public void A_blend_of_towers_trains_and_exports_through_the_same_commands()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, Blend().ToJson());
        string model = temp.PathOf("model");

        RunMetrics metrics = Commands.Train(data, config, model, "tiny", new RecordingProgress());

        ModelConfig saved = ModelConfig.Load(Path.Combine(model, "config.json"));
        Assert.Equal([[6], [10, 8], [4]], saved.Towers!.Select(t => t.Layers.ToArray()));
        Assert.All(saved.Towers!, t => Assert.Equal(0, t.Ensemble));
        Assert.InRange(Exporter.Export(model, data, new RecordingProgress()), 0f, Exporter.Tolerance);
        Assert.True(double.IsFinite(metrics.TestRmse));
    }

    [Fact]
    public void The_builder_refuses_tower_starts_that_do_not_split_the_hidden_layers()
    {
        TrainingData data = SyntheticRatings.Data(ModelKind.ItemBased);
        using var network = new AutoencoderNetwork(SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [4, 3] }, data.ColumnCount, data.ColumnCount);
        AutoRec.Onnx.AutoencoderWeights weights = network.ToWeights();
        AutoRec.Onnx.OnnxExportSpec spec = TrainedModelInfo.From("tiny", data).ExportSpec(SyntheticRatings.Config(ModelKind.ItemBased), "{}");

        foreach (int[] starts in new[] { new[] { 1 }, [0, 2], [0, 1, 1] })
        {
            Assert.Throws<ArgumentException>(() => AutoRec.Onnx.OnnxModelBuilder.Build(weights with { TowerStarts = starts }, spec));
        }
    }

    [Theory]
    [InlineData("""{ "towers": [ { "layers": [4] } ] }""", "at least two")]
    [InlineData("""{ "layers": [4], "ensemble": 2, "kernel_dimensions": 2 }""", "kernel layers cannot be merged into an ensemble")]
    [InlineData("""{ "towers": [ { "layers": [4] }, { "layers": [4], "kind": "user-based" } ] }""", "tower 2 must have the config's kind")]
    [InlineData("""{ "towers": [ { "layers": [4] }, { "layers": [4], "output_activation": "sigmoid" } ] }""", "tower 2 needs an identity output")]
    [InlineData("""{ "towers": [ { "layers": [4] }, { "towers": [ { "layers": [4] }, { "layers": [4] } ] } ] }""", "towers do not nest")]
    [InlineData("""{ "towers": [ { "layers": [4] }, { "layers": [0] } ] }""", "(tower 2): layers must be")]
    public void Bad_towers_are_refused_by_name(string json, string reason)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => ModelConfig.Parse(json, "c.json"));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
