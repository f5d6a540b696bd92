using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Sparse;
using AutoRec.Training.Training;
using static TorchSharp.torch;

namespace AutoRec.Training.Tests;

/// <summary>The sparse path as a whole: its optimizer, its evaluation, training next to the dense path, determinism and resume.</summary>
public sealed class SparsePathTests
{
    [Fact]
    public void Fused_adam_takes_torch_optim_adams_steps()
    {
        ModelConfig config = SyntheticRatings.Config() with { Layers = [6, 3, 6], L2Encoder = 0.05, L2Decoder = 0.2 };
        TrainingData data = SyntheticRatings.Data();
        random.manual_seed(3);
        using var network = new AutoencoderNetwork(config, data.ColumnCount, data.ColumnCount);
        var model = new SparseAutoencoder(config, data.ColumnCount, 0);
        model.CopyFrom(network);
        var adam = new FusedAdam(model, 0.01, threads: 2);
        Tensor[] parameters = [.. network.parameters()];
        var torchAdam = optim.Adam(network.parameters(), 0.01);
        var draws = new Random(5);
        for (int step = 1; step <= 4; step++)
        {
            if (step == 3)
            {
                adam.LearningRate = 0.003;
                foreach (var group in torchAdam.ParamGroups)
                {
                    group.LearningRate = 0.003;
                }
            }

            torchAdam.zero_grad();
            for (int p = 0; p < parameters.Length; p++)
            {
                float[] gradient = [.. Enumerable.Range(0, (int)parameters[p].numel()).Select(_ => (float)(draws.NextDouble() - 0.5))];
                model.SetGradientFromTorchLayout(p, gradient);

                // The sparse optimizer adds the L2 term's gradient itself; autograd would have added it to torch's.
                float[] weights = parameters[p].data<float>().ToArray();
                float l2 = 2 * model.L2Of(p);
                using Tensor total = tensor(gradient.Select((g, j) => g + (l2 * weights[j])).ToArray()).reshape(parameters[p].shape);
                parameters[p].grad = total.clone();
            }

            double penalty = adam.Step();
            torchAdam.step();
            for (int p = 0; p < parameters.Length; p++)
            {
                float[] expected = parameters[p].data<float>().ToArray();
                float[] sparse = ToTorchLayout(model, p);
                float worst = expected.Select((e, j) => Math.Abs(e - sparse[j])).Max();
                Assert.True(worst <= 1e-6f * Math.Max(1f, expected.Max(Math.Abs)), $"step {step}, parameter {p}: off by {worst}");
                Assert.All(model.Gradient(p).Span.ToArray(), g => Assert.Equal(0f, g)); // cleared for the next batch
            }

            Assert.Equal(network.L2Penalty().item<float>(), penalty, 1e-3);
        }
    }

    [Theory]
    [InlineData("user zero mse")]
    [InlineData("side item item-mean")]
    [InlineData("wide deep item-mean")]
    [InlineData("deep tanh masking user-mean")]
    public void Updating_rows_within_the_backward_pass_gives_the_weights_of_a_separate_step(string shape)
    {
        (ModelConfig config, TrainingData data) = SparseGradientTests.Case(shape);
        random.manual_seed(2);
        using var network = new AutoencoderNetwork(config, data.ColumnCount + (data.Side?.Width ?? 0), data.ColumnCount);
        var fill = new SparseFill(config, data);
        (SparseAutoencoder Model, SparseBatch Batch, SparseForwardBackward Pass, FusedAdam Adam) Make()
        {
            var model = new SparseAutoencoder(config, data.ColumnCount, data.Side?.Width ?? 0);
            model.CopyFrom(network);
            return (model, new SparseBatch(16, data.ColumnCount, 2), new SparseForwardBackward(model, fill, data.Side?.Rows, 16, 2), new FusedAdam(model, 0.01, 2));
        }

        var separate = Make();
        var fused = Make();
        for (int step = 0; step < 3; step++)
        {
            int[] rows = [.. Enumerable.Range(0, 12).Select(i => ((i * 7) + (step * 5)) % data.RowCount).Distinct()];
            ulong mask = CounterRandom.Key(config.Seed, step, 1);
            ulong dropout = CounterRandom.Key(config.Seed, step, 2);
            separate.Batch.LoadTraining(rows, data.Ratings, fill, config.MaskingNoise, mask, config.Loss);
            fused.Batch.LoadTraining(rows, data.Ratings, fill, config.MaskingNoise, mask, config.Loss);

            double expectedLoss = separate.Pass.Train(separate.Batch, dropout).Loss;
            double expectedPenalty = separate.Adam.Step();
            fused.Adam.BeginStep();
            (double loss, double rowPenalty) = fused.Pass.Train(fused.Batch, dropout, fused.Adam);
            double penalty = rowPenalty + fused.Adam.FinishStep(rowsUpdated: true);

            Assert.Equal(expectedLoss, loss);
            Assert.Equal(expectedPenalty, penalty, 1e-6 * Math.Max(1, expectedPenalty)); // summed in another grouping
            for (int p = 0; p < separate.Model.Count; p++)
            {
                Assert.Equal(separate.Model.Parameter(p).Span.ToArray(), fused.Model.Parameter(p).Span.ToArray());
                Assert.All(fused.Model.Gradient(p).Span.ToArray(), g => Assert.Equal(0f, g));
            }
        }
    }

    [Fact]
    public void Sparse_and_dense_evaluation_score_the_same_weights_alike()
    {
        foreach ((ModelConfig config, TrainingData data) in new[]
        {
            SparseGradientTests.Case("user zero mse"),
            SparseGradientTests.Case("deep tanh masking user-mean"),
            SparseGradientTests.Case("side item item-mean"),
            SparseGradientTests.Case("item user-mean"),
        })
        {
            random.manual_seed(4);
            using var network = new AutoencoderNetwork(config, data.ColumnCount + (data.Side?.Width ?? 0), data.ColumnCount);
            using var dense = new DenseTrainingPath(config, data, network);
            using var sparse = new SparseTrainingPath(config, data, network);
            RmseResult[] expected = dense.Score(data.TrainRatings, data.Validation, data.Test);
            RmseResult[] actual = sparse.Score(data.TrainRatings, data.Validation, data.Test);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(expected[i].Count, actual[i].Count);
                Assert.Equal(expected[i].Global, actual[i].Global, 1e-5);
                Assert.Equal(expected[i].UserMean, actual[i].UserMean, 1e-5);
            }
        }
    }

    [Theory]
    [InlineData("user zero mse")]
    [InlineData("item constant sse")]
    [InlineData("deep selu dropout l2")]
    [InlineData("side user")]
    public void Both_paths_train_alike_from_the_same_start(string shape)
    {
        (ModelConfig config, TrainingData data) = SparseGradientTests.Case(shape);
        config = config with { Epochs = 6, Dropout = 0 }; // no random draws: both paths then follow the same batches
        TrainingOutcome dense = new Trainer(config, data, new RecordingProgress(), null, new TrainingPathChoice(TrainingPathKind.Dense, "test")).Run();
        TrainingOutcome sparse = new Trainer(config, data, new RecordingProgress(), null, new TrainingPathChoice(TrainingPathKind.Sparse, "test")).Run();
        for (int e = 0; e < 6; e++)
        {
            Assert.Equal(dense.History[e].ValidationRmse, sparse.History[e].ValidationRmse, 1e-4);
            Assert.Equal(dense.History[e].TrainLoss, sparse.History[e].TrainLoss, 1e-3);
        }

        Assert.Equal(dense.Test.Global, sparse.Test.Global, 1e-4);
    }

    [Fact]
    public void The_sparse_path_never_builds_the_dense_matrix()
    {
        TrainingData data = SyntheticRatings.Data();
        var trainer = new Trainer(SyntheticRatings.Config() with { Epochs = 2 }, data, new RecordingProgress(), null);
        Assert.Equal(TrainingPathKind.Sparse, trainer.Path.Kind);
        _ = trainer.Run();
        Assert.False(data.HasDenseMatrix);

        _ = new Trainer(SyntheticRatings.Config() with { Epochs = 1, TiedWeights = true }, data, new RecordingProgress(), null).Run();
        Assert.True(data.HasDenseMatrix);
    }

    [Fact]
    public void A_sparse_run_repeats_exactly_with_its_seed_and_resumes_exactly()
    {
        using var straightDir = new TempDir();
        using var resumedDir = new TempDir();
        (ModelConfig config, TrainingData data) = SparseGradientTests.Case("deep tanh masking user-mean");
        config = config with { Epochs = 6, Dropout = 0.3, LrDecayPatience = 1, LearningRate = 0.05 };
        Assert.Equal(TrainingPathKind.Sparse, TrainingPath.Choose(config).Kind);

        TrainingOutcome straight = new Trainer(config, data, new RecordingProgress(), straightDir.Root).Run();
        TrainingOutcome again = new Trainer(config, data, new RecordingProgress(), null).Run();
        TrainingOutcome other = new Trainer(config with { Seed = 99 }, data, new RecordingProgress(), null).Run();
        Assert.Equal(straight.History.Select(h => h.ValidationRmse), again.History.Select(h => h.ValidationRmse));
        Assert.Equal(straight.History.Select(h => h.TrainLoss), again.History.Select(h => h.TrainLoss));
        Assert.NotEqual(straight.History.Select(h => h.ValidationRmse), other.History.Select(h => h.ValidationRmse));

        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(
            () => new Trainer(config, data, new RecordingProgress(cancel, cancelEpoch: 3), resumedDir.Root).Run(cancel.Token));
        var progress = new RecordingProgress();
        TrainingOutcome resumed = new Trainer(config, data, progress, resumedDir.Root).Run();
        Assert.Equal([4, 5, 6], progress.Epochs.Select(e => e.Epoch));
        Assert.Equal(straight.History.Select(h => h.ValidationRmse), resumed.History.Select(h => h.ValidationRmse));
        Assert.Equal(straight.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss));
        Assert.Equal(straight.Test, resumed.Test);
        Assert.Equal(
            straight.Network.parameters().SelectMany(p => p.data<float>().ToArray()),
            resumed.Network.parameters().SelectMany(p => p.data<float>().ToArray()));
    }

    [Fact]
    public void A_checkpoint_of_the_other_path_is_not_resumed()
    {
        using var dir = new TempDir();
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config() with { Epochs = 3 };
        _ = new Trainer(config with { Epochs = 2 }, data, new RecordingProgress(), dir.Root, new TrainingPathChoice(TrainingPathKind.Dense, "test")).Run();
        var progress = new RecordingProgress();
        _ = new Trainer(config, data, progress, dir.Root).Run();
        Assert.Equal([1, 2, 3], progress.Epochs.Select(e => e.Epoch));
        Assert.Contains(progress.Messages, m => m.Contains("another config", StringComparison.Ordinal));
    }

    /// <summary>The sparse model's values of parameter <paramref name="index"/> in TorchSharp's layout.</summary>
    private static float[] ToTorchLayout(SparseAutoencoder model, int index)
    {
        long[] shape = model.TorchShape(index);
        Span<float> stored = model.Parameter(index).Span;
        if (shape.Length == 1)
        {
            return stored[..(int)shape[0]].ToArray();
        }

        int outputs = (int)shape[0];
        int inputs = (int)shape[1];
        var result = new float[outputs * inputs];
        int stride = model.StrideOf(index);
        for (int o = 0; o < outputs; o++)
        {
            for (int j = 0; j < inputs; j++)
            {
                result[(o * inputs) + j] = index == 0 ? stored[(j * stride) + o] : stored[(o * stride) + j];
            }
        }

        return result;
    }
}
