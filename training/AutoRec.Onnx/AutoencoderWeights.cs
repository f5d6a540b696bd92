using AutoRec.Contracts;

namespace AutoRec.Onnx;

/// <summary>One dense layer's parameters: <c>y = act(x W^T + b)</c> with W of shape [Outputs, Inputs], row-major.</summary>
public sealed record DenseLayer(int Inputs, int Outputs, float[] Weight, float[] Bias, Activation Activation)
{
    /// <summary>When not null, <see cref="Weight"/> is (the rating columns of) layer <see cref="TiedTo"/>'s weight, transposed.</summary>
    public int? TiedTo { get; init; }
}

/// <summary>A trained network as plain arrays: what the ONNX exporter and reference computations need.</summary>
/// <param name="Layers">The dense layers, input side first; the last one is the output layer.</param>
public sealed record AutoencoderWeights(IReadOnlyList<DenseLayer> Layers)
{
    /// <summary>
    /// Where each tower's hidden layers start in <see cref="Layers"/>: [0] for one chain. With more towers, each one's
    /// first layer reads the input and its layers follow each other up to the next start (the last tower up to the
    /// output layer); the output layer reads the towers' last hidden values concatenated, in tower order.
    /// </summary>
    public IReadOnlyList<int> TowerStarts { get; init; } = [0];

    /// <summary>
    /// The first layer after the towers, which reads their concatenated values: null for the output layer. Layers
    /// from it on form one chain (a compact model's projection, then its output layer: <see cref="CompactNetwork"/>).
    /// </summary>
    public int? HeadStart { get; init; }
}
