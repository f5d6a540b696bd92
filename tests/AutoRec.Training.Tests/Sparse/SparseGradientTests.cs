using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Sparse;
using AutoRec.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoRec.Training.Tests;

/// <summary>
/// The sparse path's loss and gradients against TorchSharp autograd on the dense path's computation (the network's
/// own layers, <see cref="InputPreparation"/> and <see cref="MaskedLoss"/>), computed in float64 from the same
/// float32 weights, so the reference is exact and only the sparse side's float32 rounding is measured. Tolerance:
/// relative 1e-5 of each parameter's largest gradient (and of the loss).
/// </summary>
public sealed class SparseGradientTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Shapes()
    {
        var data = new TheoryData<string>
        {
            "user zero mse", "item zero sse", "user constant", "user user-mean", "user item-mean", "item item-mean",
            "item user-mean", "item constant sse", "deep selu dropout l2", "deep tanh masking user-mean",
            "dropout on the only hidden layer", "side user", "side item item-mean", "wide rows", "wide deep item-mean",
        };
        foreach (Activation activation in Activations.All)
        {
            data.Add($"activation {activation.Name()}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Loss_and_every_gradient_equal_autograds(string shape)
    {
        (ModelConfig config, TrainingData data) = Case(shape);
        Assert.Equal(TrainingPathKind.Sparse, TrainingPath.Choose(config).Kind);
        foreach (int partitions in new[] { 1, 3 })
        {
            Check(config, data, partitions);
        }
    }

    internal static (ModelConfig Config, TrainingData Data) Case(string shape)
    {
        ModelConfig user = SyntheticRatings.Config() with { L2Encoder = 0.01, L2Decoder = 0.02 };
        ModelConfig item = SyntheticRatings.Config(ModelKind.ItemBased) with { L2Encoder = 0.03 };
        TrainingData users = SyntheticRatings.Data();
        TrainingData items = SyntheticRatings.Data(ModelKind.ItemBased);
        if (shape.StartsWith("activation ", StringComparison.Ordinal))
        {
            Activation activation = Activations.Parse(shape["activation ".Length..]);
            return (user with { Layers = [5, 7], HiddenActivation = activation, OutputActivation = activation }, users);
        }

        return shape switch
        {
            "user zero mse" => (user, users),
            "item zero sse" => (item with { Loss = LossKind.MaskedSse }, items),
            "user constant" => (user with { Default = DefaultRating.Constant, DefaultValue = 2.5 }, users),
            "user user-mean" => (user with { Default = DefaultRating.UserMean }, users),
            "user item-mean" => (user with { Default = DefaultRating.ItemMean }, users),
            "item item-mean" => (item with { Default = DefaultRating.ItemMean }, items),
            "item user-mean" => (item with { Default = DefaultRating.UserMean }, items),
            "item constant sse" => (item with { Default = DefaultRating.Constant, Loss = LossKind.MaskedSse }, items),
            "deep selu dropout l2" => (user with { Layers = [6, 4, 6], HiddenActivation = Activation.Selu, OutputActivation = Activation.Selu, Dropout = 0.5 }, users),
            "deep tanh masking user-mean" => (user with { Layers = [6, 3, 6], HiddenActivation = Activation.Tanh, MaskingNoise = 0.3, Default = DefaultRating.UserMean }, users),
            "dropout on the only hidden layer" => (item with { Dropout = 0.4 }, items),
            "input dropout" => (user with { InputDropout = 0.3 }, users),
            "gaussian user-mean side" => (user with { GaussianNoise = 0.4, Default = DefaultRating.UserMean, SideInformation = true }, SyntheticRatings.Data(side: SideFeatures.ForUsers(Users()))),
            "gaussian deep item" => (item with { Layers = [150, 20, 150], GaussianNoise = 0.2, HiddenActivation = Activation.Elu }, items),

            // Rows longer than the kernels' 128-float chunks (with a remainder), as real models have.
            "wide rows" => (user with { Layers = [300] }, users),
            "wide deep item-mean" => (item with { Layers = [150, 20, 260], Default = DefaultRating.ItemMean, HiddenActivation = Activation.Elu }, items),
            "side user" => (user with { SideInformation = true }, SyntheticRatings.Data(side: SideFeatures.ForUsers(Users()))),
            "side item item-mean" => (item with { SideInformation = true, Default = DefaultRating.ItemMean }, SyntheticRatings.Data(ModelKind.ItemBased, SideFeatures.ForMovies(Movies()))),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "no such case"),
        };
    }

    internal static User[] Users() =>
        [.. Enumerable.Range(1, 40).Select(i => new User(i, i % 3 == 0 ? "F" : "M", 18 + (i % 4 * 7), i % 5 == 0 ? "writer" : "artist", "0"))];

    internal static Movie[] Movies() =>
        [.. Enumerable.Range(0, 30).Select(j => new Movie((j * 3) + 2, $"m{j}", j % 3 == 0 ? "Drama" : j % 3 == 1 ? "Comedy|Crime" : "(no genres listed)"))];

    private static void Check(ModelConfig config, TrainingData data, int partitions)
    {
        int inputs = data.ColumnCount + (data.Side?.Width ?? 0);
        random.manual_seed(11);
        using var network = new AutoencoderNetwork(config, inputs, data.ColumnCount);
        Tensor[] parameters = [.. network.parameters()];
        using (no_grad())
        {
            // Biases start at 0: make them matter.
            foreach (Tensor bias in parameters[(parameters.Length / 2)..])
            {
                bias.uniform_(-0.3, 0.3);
            }
        }

        var model = new SparseAutoencoder(config, data.ColumnCount, data.Side?.Width ?? 0);
        model.CopyFrom(network);
        var fill = new SparseFill(config, data);
        int[] rows = [.. new[] { 5, 0, 17, 3, 9, 29, 12, 21, 8, 2, 26 }.Where(r => r < data.RowCount)];
        var batch = new SparseBatch(16, data.ColumnCount, partitions);
        ulong maskKey = CounterRandom.Key(config.Seed, 1, 1);
        double hide = config.InputDropout > 0 ? config.InputDropout : config.MaskingNoise;
        float visibleScale = config.InputDropout > 0 ? (float)(1 / (1 - config.InputDropout)) : 1f;
        batch.LoadTraining(rows, data.Ratings, fill, hide, maskKey, config.Loss, visibleScale);
        var pass = new SparseForwardBackward(model, fill, data.Side?.Rows, 16, partitions, gaussianNoise: config.GaussianNoise > 0);
        var noiseRandom = new Random(5);
        float[] noise = [.. Enumerable.Range(0, config.GaussianNoise > 0 ? rows.Length * data.ColumnCount : 0).Select(_ => (float)(config.GaussianNoise * ((noiseRandom.NextDouble() * 2) - 1)))];
        if (noise.Length > 0)
        {
            noise.CopyTo(pass.NoiseFor(rows.Length));
        }

        double loss = pass.Train(batch, CounterRandom.Key(config.Seed, 1, 2)).Loss + model.L2Penalty();
        float[] mask = pass.DropoutMask(rows.Length);

        // The reference: the dense path's computation on the same rows, with the ratings masking noise hid removed
        // from the input (as InputPreparation's masking does) and the same dropout multipliers.
        network.to(ScalarType.Float64);
        parameters = [.. network.parameters()];
        var ratings = new double[rows.Length * data.ColumnCount];
        var visible = new double[rows.Length * data.ColumnCount];
        int hidden = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            for (int k = data.Ratings.Offsets[rows[i]]; k < data.Ratings.Offsets[rows[i] + 1]; k++)
            {
                int at = (i * data.ColumnCount) + data.Ratings.Columns[k];
                ratings[at] = data.Ratings.Values[k];
                bool shown = SparseBatch.IsVisible(maskKey, k, hide);
                visible[at] = shown ? ratings[at] * visibleScale : 0;
                hidden += shown ? 0 : 1;
            }
        }

        Assert.True(hide == 0 || hidden > 0, "masking noise hid nothing: the case tests nothing");
        using var scope = NewDisposeScope();
        Tensor target = tensor(ratings).reshape(rows.Length, data.ColumnCount);
        Tensor? side = data.Side is null
            ? null
            : tensor(rows.SelectMany(r => data.Side.Rows.Skip(r * data.Side.Width).Take(data.Side.Width)).Select(v => (double)v).ToArray()).reshape(rows.Length, data.Side.Width);
        Tensor x = new InputPreparation(config, data).Prepare(tensor(visible).reshape(rows.Length, data.ColumnCount), side, training: false).to_type(ScalarType.Float64);
        if (noise.Length > 0)
        {
            // The dense path's Gaussian noise, here the values the sparse pass was given, on the rating columns only.
            Tensor e = tensor(noise.Select(v => (double)v).ToArray()).reshape(rows.Length, data.ColumnCount);
            x = side is null ? x + e : cat([x.narrow(1, 0, data.ColumnCount) + e, x.narrow(1, data.ColumnCount, data.Side!.Width)], 1);
        }
        Tensor output = Forward(network, config, x, mask, rows.Length);
        Tensor expectedLoss = MaskedLoss.Compute(output, target, target.ne(0).to_type(ScalarType.Float64), config.Loss) + network.L2Penalty();
        expectedLoss.backward();

        // (L2Penalty's float32 zeros(1) makes the sum float32: its value is compared to float32 precision, well inside the tolerance.)
        double reference = expectedLoss.to_type(ScalarType.Float64).item<double>();
        Assert.True(Math.Abs(loss - reference) <= Tolerance * Math.Abs(reference), $"loss {loss} vs {reference}");
        for (int p = 0; p < parameters.Length; p++)
        {
            double[] expected = parameters[p].grad!.data<double>().ToArray();
            double[] weights = parameters[p].data<double>().ToArray();
            float[] sparse = model.GradientInTorchLayout(p);
            double l2 = 2.0 * model.L2Of(p);
            double scale = Math.Max(expected.Max(Math.Abs), 1e-12);
            double worst = 0;
            for (int j = 0; j < expected.Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(sparse[j] + (l2 * weights[j]) - expected[j]));
            }

            Assert.True(worst <= Tolerance * scale, $"parameter {p} [{string.Join(", ", parameters[p].shape)}], {partitions} partition(s): off by {worst:G3} of {scale:G3}");
        }

        network.to(ScalarType.Float32);
    }

    /// <summary>The network's layers applied one by one, with the given dropout multipliers (the network's forward in eval mode when there are none).</summary>
    private static Tensor Forward(AutoencoderNetwork network, ModelConfig config, Tensor x, float[] mask, int rows)
    {
        Tensor[] p = [.. network.parameters()];
        int layers = p.Length / 2;
        Tensor y = x;
        for (int l = 0; l < layers; l++)
        {
            y = AutoencoderNetwork.Activate(nn.functional.linear(y, p[l], p[layers + l]), l < config.Layers.Count ? config.ActivationOf(l) : config.OutputActivation);
            if (l == config.LatentIndex && mask.Length > 0)
            {
                y = y * tensor(mask.Select(v => (double)v).ToArray()).reshape(rows, mask.Length / rows);
            }
        }

        if (mask.Length == 0)
        {
            network.eval();
            using Tensor reference = network.forward(x);
            Assert.True(reference.allclose(y, rtol: 1e-12, atol: 1e-12), "the layer-by-layer forward is not the network's");
        }

        return y;
    }
}
