using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Model;
using static TorchSharp.torch;

namespace AutoRec.Training.Tests;

public sealed class NetworkTests
{
    [Fact]
    public void Layers_follow_the_configured_sizes()
    {
        var network = new AutoencoderNetwork(SyntheticRatings.Config() with { Layers = [6, 3, 6] }, 10, 9);
        AutoencoderWeights weights = network.ToWeights();
        Assert.Equal(new[] { (10, 6), (6, 3), (3, 6), (6, 9) }, weights.Layers.Select(l => (l.Inputs, l.Outputs)));
        Assert.All(weights.Layers, l => Assert.Equal(l.Inputs * l.Outputs, l.Weight.Length));
    }

    [Fact]
    public void Tied_decoder_reuses_the_transposed_encoder_weights()
    {
        ModelConfig config = SyntheticRatings.Config() with { Layers = [6, 3, 6], TiedWeights = true };
        var tied = new AutoencoderNetwork(config, 10, 10);
        var untied = new AutoencoderNetwork(config with { TiedWeights = false }, 10, 10);
        long Count(AutoencoderNetwork n) => n.parameters().Sum(p => p.numel());
        Assert.Equal(Count(untied) - (10 * 6) - (6 * 3), Count(tied));

        AutoencoderWeights weights = tied.ToWeights();
        Assert.Equal(1, weights.Layers[2].TiedTo);
        Assert.Equal(0, weights.Layers[3].TiedTo);
        // layer 3 is [10 x 6], the transpose of layer 0's [6 x 10].
        Assert.Equal(weights.Layers[0].Weight[(2 * 10) + 7], weights.Layers[3].Weight[(7 * 6) + 2]);
    }

    [Fact]
    public void Dropout_acts_in_training_mode_only()
    {
        var network = new AutoencoderNetwork(SyntheticRatings.Config() with { Layers = [50], Dropout = 0.8, HiddenActivation = "relu" }, 20, 20);
        Tensor x = ones(4, 20);
        network.eval();
        Assert.Equal(network.forward(x).data<float>().ToArray(), network.forward(x).data<float>().ToArray());
        network.train();
        Assert.NotEqual(network.forward(x).data<float>().ToArray(), network.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void L2_penalty_uses_the_encoder_and_decoder_coefficients()
    {
        var network = new AutoencoderNetwork(SyntheticRatings.Config() with { Layers = [4], L2Encoder = 0.5, L2Decoder = 2 }, 6, 6);
        AutoencoderWeights w = network.ToWeights();
        double expected = (0.5 * w.Layers[0].Weight.Sum(v => (double)v * v)) + (2 * w.Layers[1].Weight.Sum(v => (double)v * v));
        Assert.Equal(expected, network.L2Penalty().item<float>(), 4);
    }

    [Theory]
    [InlineData("selu", -1.0, -1.1113307)]
    [InlineData("elu", -1.0, -0.6321206)]
    [InlineData("leaky_relu", -1.0, -0.3)]
    [InlineData("swish", 1.0, 0.7310586)]
    [InlineData("identity", -2.0, -2.0)]
    public void Activations_compute_their_definitions(string name, double input, double expected)
    {
        Assert.Equal(expected, AutoencoderNetwork.Activate(tensor(new[] { (float)input }), name).item<float>(), 5);
    }

    [Fact]
    public void Every_named_activation_is_supported()
    {
        foreach (string name in Activations.Names)
        {
            _ = AutoencoderNetwork.Activate(ones(1), name);
        }
    }
}
