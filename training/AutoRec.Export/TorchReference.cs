using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using static TorchSharp.torch;

namespace AutoRec.Export;

/// <summary>What the exported model must reproduce: the trained network's predictions in TorchSharp.</summary>
public static class TorchReference
{
    /// <summary>
    /// TorchSharp's predictions for <paramref name="rows"/> rows of <paramref name="ratings"/> (and side features),
    /// in eval mode, clipped to the rating scale as the ONNX graph clips them.
    /// </summary>
    public static float[] Predict(nn.Module<Tensor, Tensor> network, ModelConfig config, TrainingData data, float[] ratings, float[]? side, int rows)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var inputs = new InputPreparation(config, data);
        Tensor x = from_array(ratings).reshape(rows, data.ColumnCount);
        Tensor? s = side is null ? null : from_array(side).reshape(rows, data.Side!.Width);
        Tensor output = network.forward(inputs.Prepare(x, s, training: false)).clamp(data.Scale.Min, data.Scale.Max);
        return output.data<float>().ToArray();
    }
}
