using System.Diagnostics;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>What a finished training run produced.</summary>
public sealed record TrainingOutcome(
    AutoencoderNetwork Network, IReadOnlyList<EpochResult> History, int BestEpoch, RmseMetrics Validation,
    RmseMetrics Test, double TrainSeconds, bool StoppedEarly);

/// <summary>A run that diverged (NaN or infinite loss).</summary>
public sealed class TrainingDivergedException(int epoch, string detail)
    : Exception($"training diverged at epoch {epoch}: {detail}. Lower learning_rate or add regularisation.")
{
    /// <summary>The epoch at which the loss stopped being finite.</summary>
    public int Epoch { get; } = epoch;
}

/// <summary>
/// Trains an <see cref="AutoencoderNetwork"/> with Adam on the masked reconstruction loss, evaluates on
/// validation after every epoch, keeps the best epoch, stops early after <see cref="ModelConfig.Patience"/>
/// epochs without improvement, and checkpoints every epoch so an interrupted run resumes where it stopped.
/// Seeds libtorch's process-wide generator: run one trainer at a time per process.
/// </summary>
public sealed class Trainer
{
    private const int EvaluationBatch = 1024;
    private readonly ModelConfig _config;
    private readonly TrainingData _data;
    private readonly IProgressSink _progress;
    private readonly Checkpoint? _checkpoint;

    /// <summary>Creates a trainer; <paramref name="checkpointDir"/> null disables checkpoints.</summary>
    public Trainer(ModelConfig config, TrainingData data, IProgressSink progress, string? checkpointDir)
    {
        _config = config;
        _data = data;
        _progress = progress;
        _checkpoint = checkpointDir is null ? null : new Checkpoint(checkpointDir, config, data);
    }

    /// <summary>The number of network inputs: rating columns plus side features.</summary>
    public int InputWidth => _data.ColumnCount + (_data.Side?.Width ?? 0);

    /// <summary>Runs training to the end (or early stop) and evaluates the best epoch on test.</summary>
    public TrainingOutcome Run(CancellationToken cancellation = default)
    {
        if (_config.Threads > 0)
        {
            set_num_threads(_config.Threads);
        }

        random.manual_seed(_config.Seed);
        var network = new AutoencoderNetwork(_config, InputWidth, _data.ColumnCount);
        var optimizer = optim.Adam(network.parameters(), _config.LearningRate);
        var inputs = new InputPreparation(_config, _data);
        using Tensor train = from_array(_data.Train).reshape(_data.RowCount, _data.ColumnCount);
        using Tensor? side = _data.Side is null ? null : from_array(_data.Side.Rows).reshape(_data.RowCount, _data.Side.Width);
        var predictions = new float[_data.Train.Length];

        string? notResumed = null;
        TrainerState state = _checkpoint?.TryResume(network, optimizer, out notResumed) ?? new TrainerState();
        if (notResumed is not null)
        {
            _progress.Message(notResumed);
        }

        if (state.Epoch > 0)
        {
            _progress.Message($"resuming from the checkpoint after epoch {state.Epoch} (best epoch {state.BestEpoch})");
        }

        if (state.LearningRate > 0)
        {
            SetLearningRate(optimizer, state.LearningRate);
        }
        else
        {
            state.LearningRate = _config.LearningRate;
        }

        _progress.Start(_config.Epochs, state.Epoch);
        for (int epoch = state.Epoch + 1; epoch <= _config.Epochs && !state.Finished; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();

            // Reseeding per epoch makes a resumed run draw exactly what an uninterrupted one would.
            random.manual_seed(unchecked((_config.Seed * 1_000_003) + epoch));
            double loss = TrainEpoch(network, optimizer, inputs, train, side, epoch);
            Predict(network, inputs, train, side, predictions);
            NativeHeap.Trim();
            RmseMetrics trainRmse = RmseMetrics.Compute(predictions, _data.ColumnCount, _data.TrainRatings, _data.Scale);
            RmseMetrics validation = RmseMetrics.Compute(predictions, _data.ColumnCount, _data.Validation, _data.Scale);
            if (!double.IsFinite(trainRmse.Global))
            {
                throw new TrainingDivergedException(epoch, "predictions are not finite");
            }

            var result = new EpochResult(epoch, loss, trainRmse.Global, validation.Global, validation.UserMean, clock.Elapsed.TotalSeconds);
            state.History.Add(result);
            state.Epoch = epoch;
            state.TrainSeconds += result.Seconds;
            // Without validation ratings the last epoch is the best.
            if (validation.Count == 0 || validation.Global < state.BestValidationRmse)
            {
                state.BestValidationRmse = validation.Count == 0 ? double.NaN : validation.Global;
                state.BestEpoch = epoch;
                state.BestWeights = SnapshotParameters(network, state.BestWeights);
                state.EpochsWithoutImprovement = 0;
            }
            else if (_config.LrDecayPatience > 0 && ++state.EpochsWithoutImprovement >= _config.LrDecayPatience)
            {
                state.LearningRate *= _config.LrDecayFactor;
                state.EpochsWithoutImprovement = 0;
                SetLearningRate(optimizer, state.LearningRate);
                _progress.Message($"no better validation RMSE in {_config.LrDecayPatience} epochs: learning rate now {state.LearningRate:G3}");
            }

            state.StoppedEarly = _config.Patience > 0 && epoch - state.BestEpoch >= _config.Patience;
            state.Finished = state.StoppedEarly || epoch == _config.Epochs;
            if (_checkpoint is not null)
            {
                _checkpoint.Save(network, optimizer, state);

                // TorchSharp serialises each tensor through a managed copy: tens of megabytes of large-object
                // garbage per checkpoint, which would otherwise pile up for several epochs before a full collection.
                GC.Collect();
            }
            _progress.Epoch(result, state.BestEpoch);
            if (state.StoppedEarly)
            {
                _progress.Message($"early stop: no better validation RMSE in {_config.Patience} epochs; best epoch {state.BestEpoch}");
            }
        }

        if (state.BestWeights is not null)
        {
            RestoreParameters(network, state.BestWeights);
        }

        Predict(network, inputs, train, side, predictions);
        RmseMetrics bestValidation = RmseMetrics.Compute(predictions, _data.ColumnCount, _data.Validation, _data.Scale);
        RmseMetrics test = RmseMetrics.Compute(predictions, _data.ColumnCount, _data.Test, _data.Scale);
        _progress.Finish();
        return new TrainingOutcome(network, state.History, state.BestEpoch, bestValidation, test, state.TrainSeconds, state.StoppedEarly);
    }

    /// <summary>Predicts every row from the training matrix, in eval mode, into <paramref name="destination"/>.</summary>
    public void Predict(AutoencoderNetwork network, InputPreparation inputs, Tensor train, Tensor? side, float[] destination)
    {
        network.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < _data.RowCount; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            int length = Math.Min(EvaluationBatch, _data.RowCount - start);
            Tensor rows = train.narrow(0, start, length);
            Tensor output = network.forward(inputs.Prepare(rows, side?.narrow(0, start, length), training: false));
            using TorchSharp.Utils.TensorAccessor<float> values = output.data<float>();
            values.CopyTo(destination.AsSpan(start * _data.ColumnCount, length * _data.ColumnCount));
        }
    }

    private double TrainEpoch(AutoencoderNetwork network, optim.Optimizer optimizer, InputPreparation inputs, Tensor train, Tensor? side, int epoch)
    {
        network.train();
        using Tensor order = randperm(_data.RowCount);
        double totalLoss = 0;
        int batches = 0;
        for (int start = 0; start < _data.RowCount; start += _config.BatchSize)
        {
            using var scope = NewDisposeScope();
            int length = Math.Min(_config.BatchSize, _data.RowCount - start);
            Tensor index = order.narrow(0, start, length);
            Tensor ratings = train.index_select(0, index);
            Tensor? sideRows = side?.index_select(0, index);
            Tensor known = ratings.ne(0).to_type(ScalarType.Float32);

            Tensor output = network.forward(inputs.Prepare(ratings, sideRows, training: true));
            Tensor loss = MaskedLoss.Compute(output, ratings, known, _config.Loss) + network.L2Penalty();
            Step(optimizer, loss, epoch);
            totalLoss += loss.item<float>();
            batches++;

            if (_config.DenseRefeeding)
            {
                // Kuchaiev & Ginsburg: treat the dense output y = f(x) as a new, fully known example and
                // update on it with y as both input and target (the paper's formulation).
                Tensor refed = output.detach();
                Tensor input = sideRows is null ? refed : cat([refed, sideRows], 1);
                Tensor second = network.forward(input);
                Tensor refeedLoss = MaskedLoss.Compute(second, refed, ones_like(refed), _config.Loss) + network.L2Penalty();
                Step(optimizer, refeedLoss, epoch);
            }
        }

        return totalLoss / Math.Max(batches, 1);
    }

    private static void SetLearningRate(TorchSharp.Modules.OptimizerHelper optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }

    private static void Step(optim.Optimizer optimizer, Tensor loss, int epoch)
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

    // Reuses the previous snapshot's arrays: a fresh copy per improvement would be large-object garbage.
    private static float[][] SnapshotParameters(AutoencoderNetwork network, float[][]? reuse)
    {
        var parameters = network.parameters().ToArray();
        float[][] snapshot = reuse?.Length == parameters.Length ? reuse : new float[parameters.Length][];
        for (int i = 0; i < parameters.Length; i++)
        {
            using TorchSharp.Utils.TensorAccessor<float> values = parameters[i].data<float>();
            if (snapshot[i]?.Length != (int)values.Count)
            {
                snapshot[i] = new float[values.Count];
            }

            values.CopyTo(snapshot[i]);
        }

        return snapshot;
    }

    private static void RestoreParameters(AutoencoderNetwork network, float[][] values)
    {
        using var noGrad = no_grad();
        int i = 0;
        foreach (var parameter in network.parameters())
        {
            using Tensor source = tensor(values[i++]).reshape(parameter.shape);
            parameter.copy_(source);
        }
    }
}
