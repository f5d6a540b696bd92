using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using Onnx;
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
        var network = new AutoencoderNetwork(SyntheticRatings.Config() with { Layers = [50], Dropout = 0.8, HiddenActivation = Activation.Relu }, 20, 20);
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
    [InlineData(Activation.Selu, -1.0, -1.1113307)]
    [InlineData(Activation.Elu, -1.0, -0.6321206)]
    [InlineData(Activation.LeakyRelu, -1.0, -0.3)]
    [InlineData(Activation.Swish, 1.0, 0.7310586)]
    [InlineData(Activation.Identity, -2.0, -2.0)]
    public void Activations_compute_their_definitions(Activation activation, double input, double expected)
    {
        Assert.Equal(expected, AutoencoderNetwork.Activate(tensor(new[] { (float)input }), activation).item<float>(), 5);
    }

    public static TheoryData<Activation> EveryActivation()
    {
        var data = new TheoryData<Activation>();
        foreach (Activation activation in Activations.All)
        {
            data.Add(activation);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryActivation))]
    public void Every_named_activation_is_supported(Activation activation)
    {
        // Its name parses back to it (configs spell activations by name).
        Assert.Equal(activation, Activations.Parse(activation.Name()));

        // TorchSharp computes the definition on both sides of 0.
        float[] inputs = [-3f, -1f, -0.25f, 0f, 0.25f, 1f, 3f];
        float[] outputs = AutoencoderNetwork.Activate(tensor(inputs), activation).data<float>().ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(Reference(activation, inputs[i]), outputs[i], 5);
        }

        // The ONNX graph applies it after the layer's Gemm with the same constants.
        ModelConfig config = SyntheticRatings.Config() with { Layers = [3], HiddenActivation = activation, OutputActivation = activation };
        TrainingData data = SyntheticRatings.Data();
        var network = new AutoencoderNetwork(config, data.ColumnCount, data.ColumnCount);
        ModelProto model = OnnxModelBuilder.Build(network.ToWeights(), TrainedModelInfo.From("tiny", data).ExportSpec(config, "{}"));
        NodeProto[] nodes = model.Graph.Node.Where(n => n.Name.StartsWith("layer0.", StringComparison.Ordinal) && n.OpType != "Gemm").ToArray();
        Assert.Equal(ExpectedOps(activation), nodes.Select(n => n.OpType).Order(StringComparer.Ordinal));
        var attributes = nodes.SelectMany(n => n.Attribute).ToDictionary(a => a.Name, a => a.F);
        switch (activation)
        {
            case Activation.Elu:
                Assert.Equal(1f, attributes["alpha"]);
                break;
            case Activation.Selu:
                Assert.Equal(Activations.SeluAlpha, attributes["alpha"]);
                Assert.Equal(Activations.SeluGamma, attributes["gamma"]);
                break;
            case Activation.LeakyRelu:
                Assert.Equal(Activations.LeakyReluSlope, attributes["alpha"]);
                break;
            default:
                Assert.Empty(attributes);
                break;
        }
    }

    private static double Reference(Activation activation, double x)
    {
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        return activation switch
        {
            Activation.Sigmoid => Sigmoid(x),
            Activation.Identity => x,
            Activation.Relu => Math.Max(0, x),
            Activation.Elu => x > 0 ? x : Math.Exp(x) - 1,
            Activation.Selu => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.Exp(x) - 1)),
            Activation.LeakyRelu => x > 0 ? x : 0.3 * x,
            Activation.Tanh => Math.Tanh(x),
            Activation.Swish => x * Sigmoid(x),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "no reference formula: add one"),
        };
    }

    private static string[] ExpectedOps(Activation activation) => activation switch
    {
        Activation.Sigmoid => ["Sigmoid"],
        Activation.Identity => [],
        Activation.Relu => ["Relu"],
        Activation.Elu => ["Elu"],
        Activation.Selu => ["Selu"],
        Activation.LeakyRelu => ["LeakyRelu"],
        Activation.Tanh => ["Tanh"],
        Activation.Swish => ["Mul", "Sigmoid"],
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "no expected ONNX op: add one"),
    };
}
