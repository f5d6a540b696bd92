using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>
/// Training with TorchSharp on the dense training matrix: <see cref="EpochTrainer"/> with torch.optim.Adam, and
/// evaluation by predicting every row. Serves every config; the sparse path's reference.
/// </summary>
internal sealed class DenseTrainingPath : ITrainingPath
{
    private readonly ModelConfig _config;
    private readonly TrainingData _data;
    private readonly OptimizerHelper _optimizer;
    private readonly TrainingMatrix _matrix;
    private readonly EpochTrainer _epochs;

    /// <summary>Trains <paramref name="network"/> on <paramref name="data"/> as <paramref name="config"/> says.</summary>
    public DenseTrainingPath(ModelConfig config, TrainingData data, AutoencoderNetwork network)
    {
        _config = config;
        _data = data;
        Network = network;
        _optimizer = optim.Adam(network.parameters(), config.LearningRate);
        _matrix = new TrainingMatrix(config, data);
        _epochs = new EpochTrainer(config, network, _optimizer, _matrix);
        Parameters = new TensorParameterArrays(network.parameters().ToArray());
    }

    /// <inheritdoc />
    public TrainingPathKind Kind => TrainingPathKind.Dense;

    /// <inheritdoc />
    public IParameterArrays Parameters { get; }

    /// <inheritdoc />
    public AutoencoderNetwork Network { get; }

    /// <inheritdoc />
    public double TrainEpoch(int epoch, CancellationToken cancellation) => _epochs.Run(epoch, cancellation);

    /// <inheritdoc />
    public RmseResult[] Score(params HeldOutRating[][] sets) => _matrix.Score(Network, sets);

    /// <inheritdoc />
    public float[][] Predict(params HeldOutRating[][] sets) => _matrix.Predict(Network, sets);

    /// <inheritdoc />
    public void SetLearningRate(double rate)
    {
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }

    /// <inheritdoc />
    public AutoencoderNetwork SyncNetwork() => Network;

    /// <inheritdoc />
    public void NetworkLoaded()
    {
        // The optimizer and the epochs work on the network's own parameters: nothing to copy.
    }

    /// <inheritdoc />
    public void SaveOptimizer(string path) => _optimizer.save_state_dict(path);

    /// <inheritdoc />
    public void LoadOptimizer(string path, bool apply)
    {
        if (apply)
        {
            _optimizer.load_state_dict(path);
            return;
        }

        // A scratch optimizer over scratch parameters: a damaged file must not leave this one half loaded.
        using var scratch = new AutoencoderNetwork(_config, _data.ColumnCount + (_data.Side?.Width ?? 0), _data.ColumnCount);
        optim.Adam(scratch.parameters(), _config.LearningRate).load_state_dict(path);
    }

    /// <inheritdoc />
    public void Dispose() => _matrix.Dispose();
}
