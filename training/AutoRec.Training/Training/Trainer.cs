using System.Diagnostics;
using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Reporting;
using AutoRec.Training.Sparse;
using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>
/// What a finished training run produced: the best epoch's network and scores, the last epoch's test scores
/// (<paramref name="LastEpochTest"/>, what a run without model selection reports) and the best epoch's predictions
/// (not clipped) at the validation and test ratings, in their order (for per-user errors, ensembles and blends).
/// </summary>
public sealed record TrainingOutcome(
    nn.Module<Tensor, Tensor> Network, IReadOnlyList<EpochResult> History, int BestEpoch, RmseResult Validation,
    RmseResult Test, double TrainSeconds, bool StoppedEarly, RmseResult LastEpochTest, float[] ValidationPredictions, float[] TestPredictions)
{
    /// <summary>What the run chose on validation, for a refit (<c>Composite.RefitTrainer</c> reads it).</summary>
    public ModelSelection Selected { get; init; } = ModelSelection.Of(BestEpoch);
}

/// <summary>A run that diverged (NaN or infinite loss).</summary>
public sealed class TrainingDivergedException(int epoch, string detail)
    : Exception($"training diverged at epoch {epoch}: {detail}. Lower learning_rate or add regularisation.")
{
    /// <summary>The epoch at which the loss stopped being finite.</summary>
    public int Epoch { get; } = epoch;
}

/// <summary>
/// Trains an <see cref="AutoencoderNetwork"/> on the path <see cref="TrainingPath"/> chooses (dense TorchSharp, or
/// the sparse kernels): each epoch the path updates it, validation is scored, <see cref="PlateauPolicy"/> decides on
/// the best epoch, learning-rate decay and early stopping, <see cref="BestWeights"/> keeps the best epoch's
/// parameters, and <see cref="Checkpoint"/> saves the run so an interrupted one resumes where it stopped. At the end
/// the best epoch is restored and scored on test. Seeds libtorch's process-wide generator: run one trainer at a
/// time per process.
/// </summary>
public sealed class Trainer
{
    private readonly ModelConfig _config;
    private readonly TrainingData _data;
    private readonly IProgressSink _progress;
    private readonly Checkpoint? _checkpoint;
    private readonly PlateauPolicy _policy;
    private readonly int _checkpointEvery;
    private readonly int _lastEpoch;

    /// <summary>
    /// Creates a trainer; <paramref name="checkpointDir"/> null disables checkpoints, which are written every
    /// <paramref name="checkpointEvery"/> epochs and after the last; <paramref name="path"/> null lets
    /// <see cref="TrainingPath.Choose"/> pick the path; <paramref name="lastEpoch"/> stops training after that epoch
    /// (the schedule still spans <see cref="ModelConfig.Epochs"/>: a refit replays a run's first epochs exactly).
    /// </summary>
    public Trainer(
        ModelConfig config, TrainingData data, IProgressSink progress, string? checkpointDir, TrainingPathChoice? path = null,
        int checkpointEvery = 1, int? lastEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpointEvery, 1);
        _checkpointEvery = checkpointEvery;
        _lastEpoch = Math.Min(lastEpoch ?? config.Epochs, config.Epochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(_lastEpoch, 1, nameof(lastEpoch));
        _config = config;
        _data = data;
        _progress = progress;
        Path = path ?? TrainingPath.Choose(config);
        _checkpoint = checkpointDir is null ? null : new Checkpoint(checkpointDir, config, data, Path.Kind);
        _policy = PlateauPolicy.For(config);
    }

    /// <summary>The number of network inputs: rating columns plus side features.</summary>
    public int InputWidth => _data.ColumnCount + (_data.Side?.Width ?? 0);

    /// <summary>The path this trainer takes, and why.</summary>
    public TrainingPathChoice Path { get; }

    /// <summary>Runs training to the end (or early stop) and evaluates the best epoch on test.</summary>
    public TrainingOutcome Run(CancellationToken cancellation = default)
    {
        if (_config.Threads > 0)
        {
            set_num_threads(_config.Threads);
        }

        // The initial weights are the first draws after this seed, on both paths.
        random.manual_seed(_config.Seed);
        var network = new AutoencoderNetwork(_config, InputWidth, _data.ColumnCount);
        if (_config.OutputBias == OutputBiasStart.Mean && _data.TrainRatings.Length > 0)
        {
            network.StartOutputBiasAt((float)_data.TrainRatings.Average(r => r.Value));
        }

        _progress.Message(Path.LogLine);
        using ITrainingPath path = Path.Kind switch
        {
            TrainingPathKind.Sparse => new SparseTrainingPath(_config, _data, network),
            TrainingPathKind.FullBatch => new FullBatchTrainingPath(_config, _data, network),
            TrainingPathKind.SparseFullBatch => new SparseFullBatchPath(_config, _data, network),
            _ => new DenseTrainingPath(_config, _data, network),
        };

        TrainerState state = ResumeOrStart(path);
        _progress.Start(_lastEpoch, state.Epoch);
        var saves = new CheckpointPace();
        for (int epoch = state.Epoch + 1; epoch <= _lastEpoch && !state.Plateau.Finished; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();

            if (_config.LrSchedule != LearningRateSchedule.Constant)
            {
                state.Plateau.LearningRate = _config.ScheduledLearningRate(epoch);
                path.SetLearningRate(state.Plateau.LearningRate);
            }

            // Reseeding per epoch makes a resumed run draw exactly what an uninterrupted one would.
            random.manual_seed(unchecked((_config.Seed * 1_000_003) + epoch));
            double loss = path.TrainEpoch(epoch, cancellation);
            (double trainRmse, RmseResult validation) = path.ScoreEpoch(_data.TrainRatings, _data.Validation);
            NativeHeap.Trim();
            if (!double.IsFinite(trainRmse))
            {
                throw new TrainingDivergedException(epoch, "predictions are not finite");
            }

            var result = new EpochResult(epoch, loss, trainRmse, validation.Global, validation.UserMean, clock.Elapsed.TotalSeconds);
            state.Record(result);
            EpochVerdict verdict = _policy.Observe(state.Plateau, epoch, validation);
            Apply(verdict, state, path);
            bool last = epoch == _lastEpoch || state.Plateau.Finished;
            if (_checkpoint is not null && (last || (epoch % _checkpointEvery == 0 && saves.Due)))
            {
                saves.Start();
                _checkpoint.Save(path, state);
                saves.Stop();
            }

            _progress.Epoch(result, state.Plateau.BestEpoch);
            if (verdict.StoppedEarly)
            {
                _progress.Message($"early stop: no better validation RMSE in {_config.Patience} epochs; best epoch {state.Plateau.BestEpoch}");
            }
        }

        // The last epoch's predictions; the best epoch's are the same ones unless an earlier epoch was better.
        float[][] predictions = path.Predict(_data.Validation, _data.Test);
        RmseResult lastEpochTest = HeldOutRmse.ScoreEach(predictions[1], _data.Test, _data.Scale);
        if (state.BestWeights.HasSnapshot && state.Plateau.BestEpoch != state.Epoch)
        {
            state.BestWeights.RestoreTo(path.Parameters);
            predictions = path.Predict(_data.Validation, _data.Test);
        }

        RmseResult validationRmse = HeldOutRmse.ScoreEach(predictions[0], _data.Validation, _data.Scale);
        RmseResult testRmse = HeldOutRmse.ScoreEach(predictions[1], _data.Test, _data.Scale);
        _progress.Finish();
        return new TrainingOutcome(
            path.SyncNetwork(), state.History, state.Plateau.BestEpoch, validationRmse, testRmse, state.TrainSeconds, state.Plateau.StoppedEarly,
            lastEpochTest, predictions[0], predictions[1]);
    }

    /// <summary>The checkpoint's state when there is a usable one (network and optimizer restored too), else a fresh start.</summary>
    private TrainerState ResumeOrStart(ITrainingPath path)
    {
        string? notResumed = null;
        TrainerState state = _checkpoint?.TryResume(path, out notResumed) ?? new TrainerState();
        if (notResumed is not null)
        {
            _progress.Message(notResumed);
        }

        if (state.Epoch > 0)
        {
            _progress.Message($"resuming from the checkpoint after epoch {state.Epoch} (best epoch {state.Plateau.BestEpoch})");
        }

        if (state.Plateau.LearningRate > 0)
        {
            path.SetLearningRate(state.Plateau.LearningRate);
        }
        else
        {
            state.Plateau.LearningRate = _config.LearningRate;
        }

        return state;
    }

    private void Apply(EpochVerdict verdict, TrainerState state, ITrainingPath path)
    {
        if (verdict.IsBest)
        {
            state.BestWeights.Capture(path.Parameters);
        }

        if (verdict.LearningRateDecayed)
        {
            path.SetLearningRate(state.Plateau.LearningRate);
            _progress.Message($"no better validation RMSE in {_config.LrDecayPatience} epochs: learning rate now {state.Plateau.LearningRate:G3}");
        }
    }
}

/// <summary>
/// Keeps checkpoints to a small share of the training time: a save that took longer than
/// <see cref="NegligibleSave"/> is not repeated until <see cref="CostShare"/> times as long has passed since it ended.
/// Fast epochs of a large model (kernelNet: 0.3 s epochs, 50 MB saves) would otherwise spend most of their time
/// writing; a resumed run still starts from the last save, exactly.
/// </summary>
internal sealed class CheckpointPace
{
    /// <summary>Saves faster than this are made every time they are asked for (small models, tests).</summary>
    public static readonly TimeSpan NegligibleSave = TimeSpan.FromMilliseconds(50);

    /// <summary>At most one part in this of the time goes to saves that are not negligible.</summary>
    public const int CostShare = 20;

    private readonly Stopwatch _save = new();
    private readonly Stopwatch _sinceSave = new();

    /// <summary>Whether a save may be made now.</summary>
    public bool Due =>
        !_sinceSave.IsRunning || _save.Elapsed < NegligibleSave || _sinceSave.Elapsed >= _save.Elapsed * CostShare;

    /// <summary>A save begins.</summary>
    public void Start() => _save.Restart();

    /// <summary>The save ended.</summary>
    public void Stop()
    {
        _save.Stop();
        _sinceSave.Restart();
    }
}
