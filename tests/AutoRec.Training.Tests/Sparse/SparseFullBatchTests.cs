using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Sparse;
using AutoRec.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoRec.Training.Tests;

/// <summary>
/// kernelNet on the sparse path (<see cref="SparseFullBatchPath"/>): its full-batch loss and every gradient (W, b and
/// the kernel vectors of every layer) against TorchSharp autograd on the dense matrix in float64 from the same float32
/// parameters, and a whole L-BFGS run against the dense full-batch path's.
/// </summary>
public sealed class SparseFullBatchTests
{
    // Relative to each parameter's largest gradient: the sparse side sums in float32 where the reference is float64.
    private const double Tolerance = 2e-5;

    public static TheoryData<string> Shapes() =>
    [
        "kernel item sse", "kernel user mse", "kernel deep tanh", "kernel wide", "plain lbfgs item-mean", "kernel side user",
    ];

    internal static (ModelConfig Config, TrainingData Data) Case(string shape)
    {
        ModelConfig kernel = SyntheticRatings.Config(ModelKind.ItemBased) with
        {
            Layers = [8, 8], Optimizer = OptimizerKind.Lbfgs, KernelDimensions = 3, KernelL2 = 0.013, L2Encoder = 0.6, L2Decoder = 0.4,
            Loss = LossKind.MaskedSse, LearningRate = 1, Epochs = 12,
        };
        TrainingData items = SyntheticRatings.Data(ModelKind.ItemBased);
        return shape switch
        {
            "kernel item sse" => (kernel, items),
            "kernel user mse" => (kernel with { Kind = ModelKind.UserBased, Loss = LossKind.MaskedMse, KernelDimensions = 5 }, SyntheticRatings.Data()),
            "kernel deep tanh" => (kernel with { Layers = [6, 4, 6], HiddenActivation = Activation.Tanh, OutputActivation = Activation.Sigmoid }, items),

            // Rows longer than a vector and a 64-byte line, with a remainder: real models' 500 units.
            "kernel wide" => (kernel with { Layers = [37] }, items),
            "plain lbfgs item-mean" => (kernel with { KernelDimensions = 0, KernelL2 = 0, Default = DefaultRating.ItemMean }, items),
            "kernel side user" => (kernel with { Kind = ModelKind.UserBased, SideInformation = true }, SyntheticRatings.Data(side: SideFeatures.ForUsers(SparseGradientTests.Users()))),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "no such case"),
        };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Loss_and_every_gradient_equal_autograds_in_float64(string shape)
    {
        (ModelConfig config, TrainingData data) = Case(shape);
        Assert.Equal(TrainingPathKind.SparseFullBatch, TrainingPath.Choose(config).Kind);
        foreach (int threads in new[] { 1, 3 })
        {
            Check(config with { Threads = threads }, data);
        }
    }

    [Fact]
    public void Kernel_entries_that_are_cut_to_zero_pass_no_gradient_to_the_vectors()
    {
        // Kernel vectors far apart: most K are 0 (relu cut), the rest in (0, 1): both sides of the cut are checked.
        (ModelConfig config, TrainingData data) = Case("kernel item sse");
        Check(config, data, vectorSpread: 1.5);
    }

    [Fact]
    public void A_run_follows_the_dense_full_batch_path_iteration_by_iteration()
    {
        (ModelConfig config, TrainingData data) = Case("kernel item sse");
        var sparse = new RecordingProgress();
        var dense = new RecordingProgress();
        TrainingOutcome sparseOutcome = new Trainer(config, data, sparse, null).Run();
        TrainingOutcome denseOutcome = new Trainer(config, data, dense, null, TrainingPath.Resolve(config, "dense")).Run();
        Assert.Contains(sparse.Messages, m => m.Contains("training path: sparse full-batch", StringComparison.Ordinal));
        Assert.Contains(dense.Messages, m => m.Contains("training path: full-batch", StringComparison.Ordinal));

        Assert.Equal(dense.Epochs.Count, sparse.Epochs.Count);
        for (int i = 0; i < dense.Epochs.Count; i++)
        {
            Assert.Equal(dense.Epochs[i].TrainLoss, sparse.Epochs[i].TrainLoss, dense.Epochs[i].TrainLoss * 1e-3);
            Assert.Equal(dense.Epochs[i].ValidationRmse, sparse.Epochs[i].ValidationRmse, 1e-3);
        }

        Assert.True(sparse.Epochs[^1].TrainLoss < sparse.Epochs[0].TrainLoss * 0.8, "the loss fell");
        Assert.Equal(denseOutcome.BestEpoch, sparseOutcome.BestEpoch);
        Assert.Equal(denseOutcome.Test.Global, sparseOutcome.Test.Global, 1e-3);
    }

    [Theory]
    [InlineData("kernel item sse")]
    [InlineData("kernel user mse")]
    public void An_epochs_scores_from_the_accepted_evaluation_are_what_scoring_gives(string shape)
    {
        (ModelConfig config, TrainingData data) = Case(shape);
        random.manual_seed(config.Seed);
        using var network = new AutoencoderNetwork(config, data.ColumnCount + (data.Side?.Width ?? 0), data.ColumnCount);
        using var path = new SparseFullBatchPath(config, data, network);
        int known = 0;
        bool outOfScale = false;
        for (int epoch = 1; epoch <= config.Epochs; epoch++)
        {
            path.TrainEpoch(epoch, CancellationToken.None);
            known += path.KnowsTrainRmse ? 1 : 0;
            Assert.Equal(path.KnowsTrainRmse, path.KnowsValidation);
            (double train, RmseResult validation) = path.ScoreEpoch(data.TrainRatings, data.Validation);
            RmseResult[] scored = path.Score(data.TrainRatings, data.Validation);
            Assert.Equal(scored[0].Global, train, 1e-6); // the same float32 predictions, summed in another order
            Assert.Equal(scored[1], validation);
            outOfScale |= path.Predict(data.TrainRatings)[0].Any(p => p < data.Scale.Min || p > data.Scale.Max);
        }

        // The shortcut was taken (the line search stops at its last trial) and clipping mattered on the way.
        Assert.True(known >= config.Epochs / 2, $"the scores came from the evaluation in {known} of {config.Epochs} epochs");
        Assert.True(outOfScale, "some predictions fell outside the scale");
    }

    [Fact]
    public void The_synced_network_predicts_what_the_path_scores()
    {
        (ModelConfig config, TrainingData data) = Case("kernel deep tanh");
        var progress = new RecordingProgress();
        TrainingOutcome outcome = new Trainer(config with { Epochs = 5 }, data, progress, null).Run();

        // The network written to weights.bin and exported: its own dense forward gives the path's predictions.
        using var matrix = new TrainingMatrix(config, data);
        float[][] reference = matrix.Predict((AutoencoderNetwork)outcome.Network, [data.Validation, data.Test]);
        for (int i = 0; i < reference[1].Length; i++)
        {
            Assert.Equal(reference[1][i], outcome.TestPredictions[i], 1e-4);
        }
    }

    [Fact]
    public void Paths_are_chosen_and_resolved_for_lbfgs_configs()
    {
        (ModelConfig config, _) = Case("kernel item sse");
        Assert.Equal(TrainingPathKind.SparseFullBatch, TrainingPath.Resolve(config, "auto").Kind);
        Assert.Equal(TrainingPathKind.SparseFullBatch, TrainingPath.Resolve(config, "sparse").Kind);
        Assert.Equal(TrainingPathKind.FullBatch, TrainingPath.Resolve(config, "dense").Kind);

        // Tied weights need the dense matrix: full-batch on it, and --path sparse is refused with the reason.
        ModelConfig tied = config with { KernelDimensions = 0, KernelL2 = 0, TiedWeights = true, Layers = [8] };
        Assert.Equal(TrainingPathKind.FullBatch, TrainingPath.Choose(tied).Kind);
        Assert.Contains("tied_weights", Assert.Throws<UsageException>(() => TrainingPath.Resolve(tied, "sparse")).Message, StringComparison.Ordinal);

        // Kernel layers with Adam stay on the dense path.
        Assert.Equal(TrainingPathKind.Dense, TrainingPath.Choose(config with { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3 }).Kind);
    }

    private static void Check(ModelConfig config, TrainingData data, double vectorSpread = 0.3)
    {
        int inputs = data.ColumnCount + (data.Side?.Width ?? 0);
        random.manual_seed(11);
        using var network = new AutoencoderNetwork(config, inputs, data.ColumnCount);
        Tensor[] parameters = [.. network.parameters()];
        int layers = config.Layers.Count + 1;
        using (no_grad())
        {
            // Biases start at 0 and kernel vectors near 0 (every K near 1): make them matter.
            for (int i = layers; i < parameters.Length; i++)
            {
                parameters[i].uniform_(i < 2 * layers ? -0.3 : -vectorSpread, i < 2 * layers ? 0.3 : vectorSpread);
            }
        }

        using var path = new SparseFullBatchPath(config, data, network);
        var gradient = new float[path.Point.Length];
        double loss = path.Evaluate(path.Point, gradient);

        // The reference: the dense full-batch path's loss on the whole matrix, in float64.
        network.to(ScalarType.Float64);
        parameters = [.. network.parameters()];
        using var matrix = new TrainingMatrix(config, data);
        using Tensor input = matrix.Inputs.Prepare(matrix.Ratings, matrix.Side, training: false).to_type(ScalarType.Float64);
        using Tensor ratings = matrix.Ratings.to_type(ScalarType.Float64);
        using Tensor known = ratings.ne(0).to_type(ScalarType.Float64);
        Tensor reference = MaskedLoss.Compute(network.forward(input), ratings, known, config.Loss) + network.L2Penalty();
        reference.backward();
        Assert.All(parameters, p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(ScalarType.Float64, input.dtype);
        Assert.Equal(ScalarType.Float64, network.forward(input).dtype);
        double expected = reference.item<double>();
        Assert.Equal(expected, loss, Math.Abs(expected) * 1e-6);

        for (int i = 0; i < parameters.Length; i++)
        {
            double[] want = [.. parameters[i].grad!.data<double>()];
            float[] got = path.GradientInTorchLayout(gradient, i, parameters[i].shape);
            Assert.Equal(want.Length, got.Length);
            double scale = Math.Max(want.Max(Math.Abs), 1e-12);
            for (int k = 0; k < want.Length; k++)
            {
                Assert.True(
                    Math.Abs(want[k] - got[k]) <= Tolerance * scale,
                    $"parameter {i} [{string.Join(", ", parameters[i].shape)}] entry {k}: autograd {want[k]}, sparse {got[k]} (largest {scale}), threads {config.Threads}");
            }
        }
    }
}
