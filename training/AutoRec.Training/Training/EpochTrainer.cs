using AutoRec.Training.Configuration;
using AutoRec.Training.Model;
using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>
/// One epoch of Adam on the masked reconstruction loss: shuffled batches, and Kuchaiev and Ginsburg's dense
/// re-feeding when configured. The random draws (order, noise, dropout) come from libtorch's global generator,
/// which the caller seeds.
/// </summary>
internal sealed class EpochTrainer(ModelConfig config, AutoencoderNetwork network, optim.Optimizer optimizer, TrainingMatrix matrix)
{
    /// <summary>Trains one epoch and returns the mean batch loss.</summary>
    /// <exception cref="TrainingDivergedException">A loss is not finite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between two batches (the epoch is then redone on resume).</exception>
    public double Run(int epoch, CancellationToken cancellation = default)
    {
        network.train();
        using Tensor order = randperm(matrix.Rows);
        double totalLoss = 0;
        int batches = 0;
        for (int start = 0; start < matrix.Rows; start += config.BatchSize)
        {
            // Checked per batch so that a long epoch (a large dataset) still stops within a second or so.
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int length = Math.Min(config.BatchSize, matrix.Rows - start);
            Tensor index = order.narrow(0, start, length);
            Tensor ratings = matrix.Ratings.index_select(0, index);
            Tensor? sideRows = matrix.Side?.index_select(0, index);
            Tensor known = ratings.ne(0).to_type(ScalarType.Float32);

            Tensor output = network.forward(matrix.Inputs.Prepare(ratings, sideRows, training: true));
            Tensor loss = MaskedLoss.Compute(output, ratings, known, config.Loss) + network.L2Penalty();
            Step(loss, epoch);
            totalLoss += loss.item<float>();
            batches++;

            if (config.DenseRefeeding)
            {
                // Kuchaiev & Ginsburg: treat the dense output y = f(x) as a new, fully known example and
                // update on it with y as both input and target (the paper's formulation).
                Tensor refed = output.detach();
                Tensor input = sideRows is null ? refed : cat([refed, sideRows], 1);
                Tensor second = network.forward(input);
                Tensor refeedLoss = MaskedLoss.Compute(second, refed, ones_like(refed), config.Loss) + network.L2Penalty();
                Step(refeedLoss, epoch);
            }
        }

        return totalLoss / Math.Max(batches, 1);
    }

    private void Step(Tensor loss, int epoch)
    {
        float value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new TrainingDivergedException(epoch, $"loss is {value}");
        }

        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }
}
