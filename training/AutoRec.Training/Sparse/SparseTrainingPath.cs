using System.Runtime.InteropServices;
using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Training;
using static TorchSharp.torch;

namespace AutoRec.Training.Sparse;

/// <summary>
/// Training on the observed ratings only: batches from the training matrix's sparse rows, the hand-written passes of
/// <see cref="SparseForwardBackward"/>, <see cref="FusedAdam"/>, and evaluation that predicts only the held-out
/// (row, column) pairs. Memory O(ratings + parameters): no rows × columns matrix is ever made. The batch order is
/// libtorch's randperm, as on the dense path (the caller seeds it per epoch); masking noise and dropout come from
/// <see cref="CounterRandom"/> keyed by the seed and epoch, so a resumed run draws what an uninterrupted one would.
/// </summary>
internal sealed class SparseTrainingPath : ITrainingPath
{
    // Rows per evaluation batch (at least): enough to share each decoder row among many rows.
    private const int EvaluationRows = 256;
    private const int MaskingStream = 1;
    private const int DropoutStream = 2;

    private readonly ModelConfig _config;
    private readonly TrainingData _data;
    private readonly SparseAutoencoder _model;
    private readonly SparseFill _fill;
    private readonly SparseBatch _batch;
    private readonly SparseForwardBackward _pass;
    private readonly FusedAdam _adam;
    private readonly SparseEvaluation _evaluation;
    private readonly double _hidden;
    private readonly float _visibleScale;

    /// <summary>Trains <paramref name="network"/> (its weights are the starting point) on <paramref name="data"/>.</summary>
    public SparseTrainingPath(ModelConfig config, TrainingData data, AutoencoderNetwork network)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        _config = config;
        _data = data;
        Network = network;
        int threads = config.Threads > 0 ? config.Threads : Environment.ProcessorCount;
        _model = new SparseAutoencoder(config, data.ColumnCount, data.Side?.Width ?? 0);
        _model.CopyFrom(network);
        _fill = new SparseFill(config, data);
        int capacity = Math.Max(config.BatchSize, EvaluationRows);
        _batch = new SparseBatch(capacity, data.ColumnCount, threads);
        _pass = new SparseForwardBackward(_model, _fill, data.Side?.Rows, capacity, threads, gaussianNoise: config.GaussianNoise > 0);
        _adam = new FusedAdam(_model, config.LearningRate, threads);
        _evaluation = new SparseEvaluation(data, _fill, _pass, capacity, threads);

        // Input dropout on a zero-filled input only touches the observed ratings (TrainingPath sends other fills to
        // the dense path): it is masking noise whose survivors are scaled by 1 / (1 - p), as dropout scales them.
        (_hidden, _visibleScale) = config.InputDropout > 0
            ? (config.InputDropout, (float)(1 / (1 - config.InputDropout)))
            : (config.MaskingNoise, 1f);
    }

    /// <inheritdoc />
    public TrainingPathKind Kind => TrainingPathKind.Sparse;

    /// <inheritdoc />
    public IParameterArrays Parameters => _model;

    /// <inheritdoc />
    public AutoencoderNetwork Network { get; }

    /// <inheritdoc />
    public double TrainEpoch(int epoch, CancellationToken cancellation)
    {
        int rows = _data.RowCount;
        int[] order;
        using (Tensor permutation = randperm(rows))
        {
            order = [.. permutation.data<long>().Select(i => (int)i)];
        }

        ulong maskKey = CounterRandom.Key(_config.Seed, epoch, MaskingStream);
        double penalty = _adam.Penalty();
        double total = 0;
        int batches = 0;
        for (int start = 0; start < rows; start += _config.BatchSize)
        {
            // Checked per batch, as on the dense path: a long epoch still stops within a second or so.
            cancellation.ThrowIfCancellationRequested();
            int length = Math.Min(_config.BatchSize, rows - start);
            _batch.LoadTraining(order.AsSpan(start, length), _data.Ratings, _fill, _hidden, maskKey, _config.Loss, _visibleScale);
            ulong dropoutKey = CounterRandom.Key(_config.Seed, epoch, DropoutStream + batches);
            if (_config.GaussianNoise > 0)
            {
                // libtorch's generator (seeded per epoch by the trainer, like the shuffle): vectorised, and a resumed
                // run draws what an uninterrupted one would.
                using Tensor noise = randn(length, _data.ColumnCount).mul_(_config.GaussianNoise);
                MemoryMarshal.Cast<byte, float>(noise.bytes).CopyTo(_pass.NoiseFor(length));
            }

            // The first and output layers' rows are updated within the backward pass (see SparseForwardBackward.Train):
            // a diverging batch has then moved them, but it ends the run anyway.
            _adam.BeginStep();
            (double data, double rowPenalty) = _pass.Train(_batch, dropoutKey, _adam);
            float loss = (float)(data + penalty);
            if (!float.IsFinite(loss))
            {
                throw new TrainingDivergedException(epoch, $"loss is {loss}");
            }

            penalty = rowPenalty + _adam.FinishStep(rowsUpdated: true);
            total += loss;
            batches++;
        }

        return total / Math.Max(batches, 1);
    }

    /// <inheritdoc />
    public RmseResult[] Score(params HeldOutRating[][] sets) => _evaluation.Score(sets);

    /// <inheritdoc />
    public float[][] Predict(params HeldOutRating[][] sets) => _evaluation.Predict(sets);

    /// <inheritdoc />
    public void SetLearningRate(double rate) => _adam.LearningRate = rate;

    /// <inheritdoc />
    public AutoencoderNetwork SyncNetwork()
    {
        _model.CopyTo(Network);
        return Network;
    }

    /// <inheritdoc />
    public void NetworkLoaded() => _model.CopyFrom(Network);

    /// <inheritdoc />
    public void SaveOptimizer(string path) => _adam.Save(path);

    /// <inheritdoc />
    public void LoadOptimizer(string path, bool apply) => _adam.Load(path, apply);

    /// <inheritdoc />
    public void Dispose()
    {
        // Managed buffers only.
    }
}
