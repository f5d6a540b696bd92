using AutoRec.Export;
using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using Onnx;

namespace AutoRec.Training.Tests;

public sealed class ExportTests
{
    public static TheoryData<Activation, DefaultRating> ActivationsAndDefaults()
    {
        var data = new TheoryData<Activation, DefaultRating>();
        foreach (Activation activation in Activations.All)
        {
            foreach (DefaultRating rating in Enum.GetValues<DefaultRating>())
            {
                data.Add(activation, rating);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActivationsAndDefaults))]
    public void Onnx_runtime_matches_torchsharp_for_every_activation_and_default(Activation activation, DefaultRating rating)
    {
        ModelConfig config = SyntheticRatings.Config() with
        {
            Layers = [6, 4, 6],
            HiddenActivation = activation,
            OutputActivation = activation,
            Default = rating,
            DefaultValue = 2.5,
            Dropout = 0.5,
        };
        float difference = ExportAndCompare(config, SyntheticRatings.Data());
        Assert.InRange(difference, 0f, 1e-5f);
    }

    [Fact]
    public void Tied_item_based_model_with_side_features_exports_exactly()
    {
        var movies = Enumerable.Range(0, 30).Select(j => new Movie((j * 3) + 2, $"m{j}", j % 2 == 0 ? "Drama|War" : "Comedy")).ToArray();
        TrainingData data = SyntheticRatings.Data(ModelKind.ItemBased, SideFeatures.ForMovies(movies));
        ModelConfig config = SyntheticRatings.Config(ModelKind.ItemBased) with
        {
            Layers = [5],
            TiedWeights = true,
            SideInformation = true,
            Default = DefaultRating.ItemMean,
        };
        float difference = ExportAndCompare(config, data);
        Assert.InRange(difference, 0f, 1e-5f);
    }

    [Fact]
    public void A_kernel_network_exports_its_effective_weights_exactly()
    {
        ModelConfig config = SyntheticRatings.Config(ModelKind.ItemBased) with { Layers = [7, 5], KernelDimensions = 3 };
        TrainingData data = SyntheticRatings.Data(ModelKind.ItemBased);
        float difference = ExportAndCompare(config, data);
        Assert.InRange(difference, 0f, 1e-4f);
    }

    [Fact]
    public void Exported_model_carries_its_metadata_and_opset()
    {
        using var temp = new TempDir();
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config();
        var network = new AutoencoderNetwork(config, data.ColumnCount, data.ColumnCount);
        string path = temp.PathOf("m.onnx");
        OnnxModelBuilder.Write(OnnxModelBuilder.Build(network.ToWeights(), TrainedModelInfo.From("tiny", data).ExportSpec(config, config.ToJson())), path);

        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        // The keys and encodings every runtime reads (spelled out here, so that a change to the contract shows).
        Assert.Equal("user-based", metadata["autorec.kind"]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(data.ColumnIds), metadata["autorec.input_ids"]);
        Assert.Equal(metadata["autorec.input_ids"], metadata["autorec.output_ids"]);
        Assert.Equal("1", metadata["autorec.rating_min"]);
        Assert.Equal("5", metadata["autorec.rating_max"]);
        Assert.Equal("tiny", metadata["autorec.dataset"]);
        Assert.Equal("[]", metadata["autorec.side_features"]);
        Assert.Contains("\"layers\"", metadata["autorec.config"], StringComparison.Ordinal);
        Assert.Equal(8, metadata.Count);

        ModelMetadata read = ModelMetadata.FromProperties(metadata);
        Assert.Equal(ModelKind.UserBased, read.Kind);
        Assert.Equal(data.ColumnIds, read.InputIds);
        Assert.Equal(config.ToJson(), read.ConfigJson);

        Assert.Equal(17, model.OpsetImport.Single().Version);
        Assert.Equal(ModelGraph.RatingsInput, model.Graph.Input.Single().Name);
        Assert.Equal("batch", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(data.ColumnCount, model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal("predictions", model.Graph.Output.Single().Name);
        Assert.Equal(ModelGraph.PredictionsOutput, model.Graph.Output.Single().Name);
    }

    [Fact]
    public void Predictions_are_clipped_to_the_rating_scale()
    {
        using var temp = new TempDir();
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config();
        var network = new AutoencoderNetwork(config, data.ColumnCount, data.ColumnCount);
        AutoencoderWeights weights = network.ToWeights();
        // Push the output bias far outside the scale both ways.
        float[] bias = weights.Layers[^1].Bias;
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = i % 2 == 0 ? 100f : -100f;
        }

        string path = temp.PathOf("m.onnx");
        OnnxModelBuilder.Write(OnnxModelBuilder.Build(weights, TrainedModelInfo.From("tiny", data).ExportSpec(config, "{}")), path);
        float[] output = RuntimeCheck.Predict(path, data.Train.AsSpan(0, data.ColumnCount).ToArray(), null);
        Assert.All(output.Where((_, i) => i % 2 == 0), v => Assert.Equal(5f, v));
        Assert.All(output.Where((_, i) => i % 2 == 1), v => Assert.Equal(1f, v));
    }

    private static float ExportAndCompare(ModelConfig config, TrainingData data)
    {
        using var temp = new TempDir();
        var network = new AutoencoderNetwork(config, data.ColumnCount + (data.Side?.Width ?? 0), data.ColumnCount);
        int rows = Math.Min(16, data.RowCount);
        float[] ratings = data.Train.AsSpan(0, rows * data.ColumnCount).ToArray();
        // Include a row with no ratings at all: the row-mean default must fall back to the global mean.
        Array.Clear(ratings, 0, data.ColumnCount);
        float[]? side = data.Side?.Rows.AsSpan(0, rows * data.Side.Width).ToArray();
        float[] expected = TorchReference.Predict(network, config, data, ratings, side, rows);

        string path = temp.PathOf("m.onnx");
        OnnxModelBuilder.Write(OnnxModelBuilder.Build(network.ToWeights(), TrainedModelInfo.From("tiny", data).ExportSpec(config, "{}")), path);
        float[] actual = RuntimeCheck.Predict(path, ratings, side);
        return RuntimeCheck.MaxAbsDifference(expected, actual);
    }
}
