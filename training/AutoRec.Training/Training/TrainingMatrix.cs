using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>
/// The training matrix (and side features) as tensors, with the input preparation of the config: what every
/// epoch trains on and every evaluation predicts from.
/// </summary>
public sealed class TrainingMatrix : IDisposable
{
    // Rows per forward pass when predicting: bounds the temporaries on large matrices.
    private const int EvaluationBatch = 1024;

    private readonly RatingScale _scale;
    private float[]? _predictions;

    /// <summary>Creates the tensors for <paramref name="data"/>.</summary>
    public TrainingMatrix(ModelConfig config, TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Inputs = new InputPreparation(config, data);
        _scale = data.Scale;
        Rows = data.RowCount;
        Columns = data.ColumnCount;
        Ratings = from_array(data.Train).reshape(data.RowCount, data.ColumnCount);
        Side = data.Side is null ? null : from_array(data.Side.Rows).reshape(data.RowCount, data.Side.Width);
    }

    /// <summary>Turns raw rating rows into network inputs.</summary>
    public InputPreparation Inputs { get; }

    /// <summary>Rows x columns; 0 where the training split has no rating.</summary>
    public Tensor Ratings { get; }

    /// <summary>Side features per row, when the model takes them.</summary>
    public Tensor? Side { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    // Every row's predictions in one reused buffer: a new one per evaluation would be large-object garbage each epoch.
    private float[] PredictAll(AutoencoderNetwork network)
    {
        _predictions ??= new float[(long)Rows * Columns];
        PredictAll(network, _predictions);
        return _predictions;
    }

    /// <summary>Predicts every row, in eval mode, into <paramref name="destination"/> (rows x columns, row-major).</summary>
    public void PredictAll(AutoencoderNetwork network, float[] destination)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < Rows; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            int length = Math.Min(EvaluationBatch, Rows - start);
            Tensor rows = Ratings.narrow(0, start, length);
            Tensor output = network.forward(Inputs.Prepare(rows, Side?.narrow(0, start, length), training: false));
            using TorchSharp.Utils.TensorAccessor<float> values = output.data<float>();
            values.CopyTo(destination.AsSpan(start * Columns, length * Columns));
        }
    }

    /// <summary>The RMSEs of <paramref name="network"/>'s predictions (clipped to the scale) at each list of ratings.</summary>
    public RmseResult[] Score(AutoencoderNetwork network, HeldOutRating[][] sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        float[] predictions = PredictAll(network);
        return [.. sets.Select(set => HeldOutRmse.Score(predictions, Columns, set, _scale))];
    }

    /// <summary><paramref name="network"/>'s predictions (not clipped) at each list of ratings, in its order.</summary>
    public float[][] Predict(AutoencoderNetwork network, HeldOutRating[][] sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        float[] predictions = PredictAll(network);
        return [.. sets.Select(set => set.Select(r => predictions[((long)r.Row * Columns) + r.Column]).ToArray())];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Ratings.Dispose();
        Side?.Dispose();
    }
}
