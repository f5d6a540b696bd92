using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Optimization;
using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>
/// Full-batch training with <see cref="Lbfgs"/> (kernelNet's recipe): the loss is the masked loss over the whole
/// training matrix plus the penalties, summed in float64; an epoch is one L-BFGS iteration. The curvature history
/// is not checkpointed (hundreds of megabytes for a large model): a resumed run restarts it from the checkpoint's
/// weights, so it is not bit-identical to an uninterrupted one.
/// </summary>
internal sealed class FullBatchTrainingPath : ITrainingPath
{
    private readonly ModelConfig _config;
    private readonly TrainingData _data;
    private readonly TrainingMatrix _matrix;
    private readonly Tensor[] _parameters;
    private readonly Tensor _input;
    private readonly Tensor _known;
    private float[] _point;
    private Lbfgs _optimizer;

    /// <summary>Trains <paramref name="network"/> on <paramref name="data"/> as <paramref name="config"/> says.</summary>
    public FullBatchTrainingPath(ModelConfig config, TrainingData data, AutoencoderNetwork network)
    {
        _config = config;
        _data = data;
        Network = network;
        _matrix = new TrainingMatrix(config, data);
        _parameters = [.. network.parameters()];
        Parameters = new TensorParameterArrays(_parameters);
        using (no_grad())
        {
            // The input is fixed: lbfgs configs have no noise (ModelConfig refuses it).
            _input = _matrix.Inputs.Prepare(_matrix.Ratings, _matrix.Side, training: false).detach();
        }

        _known = _matrix.Ratings.ne(0).to_type(ScalarType.Float32);
        _point = Flatten();
        _optimizer = NewOptimizer();
    }

    /// <inheritdoc />
    public TrainingPathKind Kind => TrainingPathKind.FullBatch;

    /// <inheritdoc />
    public IParameterArrays Parameters { get; }

    /// <inheritdoc />
    public AutoencoderNetwork Network { get; }

    /// <inheritdoc />
    public double TrainEpoch(int epoch, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        Network.train();
        double loss = _optimizer.Iterate(_point);
        SetParameters(_point);
        if (!double.IsFinite(loss))
        {
            throw new TrainingDivergedException(epoch, $"loss is {loss}");
        }

        return loss;
    }

    /// <inheritdoc />
    public RmseResult[] Score(params HeldOutRating[][] sets) => _matrix.Score(Network, sets);

    /// <inheritdoc />
    public float[][] Predict(params HeldOutRating[][] sets) => _matrix.Predict(Network, sets);

    /// <inheritdoc />
    public void SetLearningRate(double rate)
    {
        // The line search chooses every step; ModelConfig refuses schedules for lbfgs.
    }

    /// <inheritdoc />
    public AutoencoderNetwork SyncNetwork() => Network;

    /// <inheritdoc />
    public void NetworkLoaded()
    {
        // Weights from a checkpoint (or the best epoch's): start the search again from them.
        _point = Flatten();
        _optimizer = NewOptimizer();
    }

    /// <inheritdoc />
    public void SaveOptimizer(string path) => Lbfgs.WriteCheckpointNote(path);

    /// <inheritdoc />
    public void LoadOptimizer(string path, bool apply)
    {
        Lbfgs.ReadCheckpointNote(path);
        if (apply)
        {
            NetworkLoaded();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _input.Dispose();
        _known.Dispose();
        _matrix.Dispose();
    }

    private Lbfgs NewOptimizer() => new(_point.Length, Evaluate, history: 10, learningRate: _config.LearningRate);

    /// <summary>The loss at <paramref name="point"/>, its gradient written into <paramref name="gradient"/>.</summary>
    private double Evaluate(float[] point, float[] gradient)
    {
        SetParameters(point);
        using var scope = NewDisposeScope();
        foreach (Tensor p in _parameters)
        {
            p.grad?.zero_();
        }

        Tensor output = Network.forward(_input);
        Tensor loss = MaskedLoss.Compute(output, _matrix.Ratings, _known, _config.Loss, ScalarType.Float64) + Network.L2Penalty().to_type(ScalarType.Float64);
        loss.backward();
        int offset = 0;
        foreach (Tensor p in _parameters)
        {
            int count = checked((int)p.numel());
            if (p.grad is null)
            {
                Array.Clear(gradient, offset, count);
            }
            else
            {
                using TorchSharp.Utils.TensorAccessor<float> values = p.grad.contiguous().data<float>();
                values.CopyTo(gradient.AsSpan(offset, count));
            }

            offset += count;
        }

        return loss.item<double>();
    }

    private float[] Flatten()
    {
        var point = new float[_parameters.Sum(p => p.numel())];
        int offset = 0;
        foreach (Tensor p in _parameters)
        {
            int count = checked((int)p.numel());
            using Tensor contiguous = p.detach().contiguous();
            using TorchSharp.Utils.TensorAccessor<float> values = contiguous.data<float>();
            values.CopyTo(point.AsSpan(offset, count));
            offset += count;
        }

        return point;
    }

    private void SetParameters(float[] point)
    {
        using var noGrad = no_grad();
        int offset = 0;
        foreach (Tensor p in _parameters)
        {
            int count = checked((int)p.numel());
            using TorchSharp.Utils.TensorAccessor<float> values = p.data<float>();
            values.CopyFrom(point.AsSpan(offset, count));
            offset += count;
        }
    }
}
