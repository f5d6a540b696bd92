using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>TorchSharp parameters seen as <see cref="IParameterArrays"/>, in the order given.</summary>
internal sealed class TensorParameterArrays(IReadOnlyList<Tensor> parameters) : IParameterArrays
{
    /// <inheritdoc />
    public int Count => parameters.Count;

    /// <inheritdoc />
    public int LengthOf(int index) => checked((int)parameters[index].numel());

    /// <inheritdoc />
    public void CopyOut(int index, Span<float> destination)
    {
        using TorchSharp.Utils.TensorAccessor<float> values = parameters[index].data<float>();
        values.CopyTo(destination);
    }

    /// <inheritdoc />
    public void CopyIn(int index, ReadOnlySpan<float> source)
    {
        using var noGrad = no_grad();
        using Tensor values = tensor(source.ToArray()).reshape(parameters[index].shape);
        parameters[index].copy_(values);
    }
}
