using AutoRec.Contracts;

namespace AutoRec.Onnx;

/// <summary>One dense layer's parameters: <c>y = act(x W^T + b)</c> with W of shape [Outputs, Inputs], row-major.</summary>
public sealed record DenseLayer(int Inputs, int Outputs, float[] Weight, float[] Bias, Activation Activation)
{
    /// <summary>When not null, <see cref="Weight"/> is (the rating columns of) layer <see cref="TiedTo"/>'s weight, transposed.</summary>
    public int? TiedTo { get; init; }
}

/// <summary>A trained network as plain arrays: what the ONNX exporter and reference computations need.</summary>
public sealed record AutoencoderWeights(IReadOnlyList<DenseLayer> Layers);
