using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Optimization;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>
/// The L-BFGS port and kernelNet's kernel layers: the optimiser minimises a classic test function with strictly
/// decreasing losses, a full-batch run trains, and a kernel model exports as a plain autoencoder.
/// </summary>
public sealed class LbfgsTests
{
    [Fact]
    public void It_minimises_the_rosenbrock_function_with_decreasing_losses()
    {
        static double Rosenbrock(float[] x, float[] gradient)
        {
            double a = x[0];
            double b = x[1];
            gradient[0] = (float)((-2 * (1 - a)) - (400 * a * (b - (a * a))));
            gradient[1] = (float)(200 * (b - (a * a)));
            return ((1 - a) * (1 - a)) + (100 * (b - (a * a)) * (b - (a * a)));
        }

        float[] x = [-1.2f, 1.0f];
        var lbfgs = new Lbfgs(2, Rosenbrock);
        double previous = double.PositiveInfinity;
        for (int i = 0; i < 60; i++)
        {
            double loss = lbfgs.Iterate(x);
            Assert.True(loss <= previous, $"iteration {i + 1}: {loss} after {previous}");
            previous = loss;
        }

        // float32 points: the minimum is found to float32's resolution around (1, 1).
        Assert.True(previous < 1e-9, $"loss {previous} after 60 iterations");
        Assert.Equal(1.0, x[0], 4);
        Assert.Equal(1.0, x[1], 4);
        Assert.InRange(lbfgs.Evaluations, 20, 200); // converged iterations stop evaluating
    }

    [Theory]
    [InlineData(0, 1, -1, 1, 1, 1, 0.5)] // f = (x - 0.5)^2 shape through both ends: minimum at 0.5
    [InlineData(0, 0, -1, 2, 0, 1, 1)] // symmetric around 1
    public void Cubic_interpolation_finds_the_minimum_between_two_points(double x1, double f1, double g1, double x2, double f2, double g2, double expected)
    {
        Assert.Equal(expected, Lbfgs.CubicInterpolate(x1, f1, g1, x2, f2, g2, null, null), 6);
    }

    [Fact]
    public void A_full_batch_lbfgs_run_trains_a_kernel_network_with_falling_loss()
    {
        TrainingData data = SyntheticRatings.Data(ModelKind.ItemBased);
        ModelConfig config = SyntheticRatings.Config(ModelKind.ItemBased) with
        {
            Layers = [8, 8], Optimizer = OptimizerKind.Lbfgs, KernelDimensions = 3, KernelL2 = 0.01, L2Encoder = 0.5, L2Decoder = 0.5,
            Loss = LossKind.MaskedSse, LearningRate = 1, Epochs = 30,
        };
        var progress = new RecordingProgress();
        var trainer = new Trainer(config, data, progress, null);
        Assert.Equal(TrainingPathKind.SparseFullBatch, trainer.Path.Kind);

        TrainingOutcome outcome = trainer.Run();

        double[] losses = [.. progress.Epochs.Select(e => e.TrainLoss)];
        for (int i = 1; i < losses.Length; i++)
        {
            Assert.True(losses[i] <= losses[i - 1], $"loss rose at epoch {i + 1}: {losses[i - 1]} -> {losses[i]}");
        }

        Assert.True(progress.Epochs[^1].TrainRmse < progress.Epochs[0].TrainRmse * 0.8);
        Assert.True(double.IsFinite(outcome.Test.Global));
        Assert.Contains("training path: sparse full-batch", progress.Messages.Single(m => m.StartsWith("training path", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_layers_start_near_one_and_their_penalty_counts()
    {
        ModelConfig config = SyntheticRatings.Config() with { Layers = [6], KernelDimensions = 5, KernelL2 = 1 };
        using var network = new AutoencoderNetwork(config, 10, 10);
        AutoencoderWeights weights = network.ToWeights();
        using var plain = new AutoencoderNetwork(config with { KernelDimensions = 0, KernelL2 = 0 }, 10, 10);

        // Effective weights are W ⊙ kernel with every kernel entry within 1e-4 of 1 at the start.
        float[] raw = [.. network.parameters().First().data<float>()];
        float[] effective = weights.Layers[0].Weight;
        for (int i = 0; i < raw.Length; i++)
        {
            Assert.InRange(effective[i] / raw[i], 0.9999f, 1.0f);
        }

        // Two layers of 6 x 10 kernels near 1: the kernel penalty is about 120.
        double penalty = network.L2Penalty().item<float>();
        Assert.InRange(penalty, 119.9, 120.1);
        Assert.Equal(0.0, plain.L2Penalty().item<float>(), 6);
    }

    [Theory]
    [InlineData("""{ "optimizer": "lbfgs", "dropout": 0.5 }""", "lbfgs needs a deterministic loss")]
    [InlineData("""{ "optimizer": "lbfgs", "lr_decay_patience": 3 }""", "lbfgs takes no lr_schedule")]
    [InlineData("""{ "kernel_dimensions": 5, "tied_weights": true }""", "kernel layers cannot tie weights")]
    public void Lbfgs_and_kernel_configs_that_cannot_work_are_refused(string json, string expected)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => ModelConfig.Parse(json, "c.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
