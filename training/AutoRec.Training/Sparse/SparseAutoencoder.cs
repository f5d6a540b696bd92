using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Model;
using AutoRec.Training.Training;
using static TorchSharp.torch;

namespace AutoRec.Training.Sparse;

/// <summary>
/// The parameters of an <see cref="AutoencoderNetwork"/> (untied) as the sparse kernels read them, with their
/// gradients. Every row is padded to 16 floats and the padding stays 0 (its gradient is 0, so Adam never moves it):
/// <list type="bullet">
/// <item>layer 0 stored transposed, [inputs, units]: the rows an input column touches are contiguous;</item>
/// <item>the other layers as TorchSharp stores them, [outputs, inputs]: the output layer's row of a column is its
/// decoder row, contiguous.</item>
/// </list>
/// <see cref="CopyFrom"/> and <see cref="CopyTo"/> move the values to and from the TorchSharp network, which keeps
/// weights.bin, checkpoints and the ONNX export as they are.
/// </summary>
internal sealed unsafe class SparseAutoencoder : IParameterArrays
{
    private readonly FloatBuffer?[] _weightGradients;

    /// <summary>The parameters of <paramref name="config"/>'s network for <paramref name="columns"/> rating columns plus <paramref name="sideWidth"/> side features.</summary>
    public SparseAutoencoder(ModelConfig config, int columns, int sideWidth)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.TiedWeights)
        {
            throw new ArgumentException("the sparse path does not serve tied weights", nameof(config));
        }

        Columns = columns;
        SideWidth = sideWidth;
        Sizes = [columns + sideWidth, .. config.Layers, columns];
        LayerCount = Sizes.Length - 1;
        Activations = Enumerable.Range(0, LayerCount)
            .Select(i => i < config.Layers.Count ? config.ActivationOf(i) : config.OutputActivation).ToArray();
        LatentIndex = config.LatentIndex;
        Dropout = (float)config.Dropout;
        DropoutScale = (float)(1 / (1 - config.Dropout));
        Weights = new FloatBuffer[LayerCount];
        Biases = new FloatBuffer[LayerCount];
        _weightGradients = new FloatBuffer?[LayerCount];
        BiasGradients = new FloatBuffer[LayerCount];
        L2 = new float[LayerCount];
        for (int l = 0; l < LayerCount; l++)
        {
            long length = (long)RowsOf(l) * StrideOf(l);
            Weights[l] = new FloatBuffer(length);
            Biases[l] = new FloatBuffer(FloatBuffer.Padded(Sizes[l + 1]));
            BiasGradients[l] = new FloatBuffer(FloatBuffer.Padded(Sizes[l + 1]));
            L2[l] = (float)(l <= config.LatentIndex ? config.L2Encoder : config.L2Decoder);
        }
    }

    /// <summary>Rating columns (the outputs).</summary>
    public int Columns { get; }

    /// <summary>Side-feature inputs after the rating columns.</summary>
    public int SideWidth { get; }

    /// <summary>Layer widths: inputs, the hidden layers, outputs.</summary>
    public int[] Sizes { get; }

    /// <summary>Number of dense layers.</summary>
    public int LayerCount { get; }

    /// <summary>Each layer's activation.</summary>
    public Activation[] Activations { get; }

    /// <summary>The layer after which dropout applies.</summary>
    public int LatentIndex { get; }

    /// <summary>The dropout rate.</summary>
    public float Dropout { get; }

    /// <summary>What dropout multiplies the units it keeps by: 1 / (1 − rate), rounded once, as torch does.</summary>
    public float DropoutScale { get; }

    /// <summary>Each layer's weight (layer 0 transposed; see the type's remarks).</summary>
    public FloatBuffer[] Weights { get; }

    /// <summary>Each layer's bias, padded.</summary>
    public FloatBuffer[] Biases { get; }

    /// <summary>
    /// The gradient of layer <paramref name="layer"/>'s weight, same layout; made on first use: when the optimizer
    /// updates the first and output layers row by row within the backward pass, theirs are never needed (on ML-20M
    /// they would be a gigabyte).
    /// </summary>
    public FloatBuffer WeightGradient(int layer) =>
        LazyInitializer.EnsureInitialized(ref _weightGradients[layer], () => new FloatBuffer((long)RowsOf(layer) * StrideOf(layer)));

    /// <summary>The gradients of <see cref="Biases"/>.</summary>
    public FloatBuffer[] BiasGradients { get; }

    /// <summary>Each layer's L2 coefficient: loss += l2 · Σ W².</summary>
    public float[] L2 { get; }

    /// <summary>The number of parameter arrays: weights then biases, TorchSharp's order.</summary>
    public int Count => 2 * LayerCount;

    /// <summary>The padded width of hidden layer <paramref name="layer"/>'s output (a row of its activations).</summary>
    public int Width(int layer) => FloatBuffer.Padded(Sizes[layer + 1]);

    /// <summary>The rows of layer <paramref name="layer"/>'s stored weight.</summary>
    public int RowsOf(int layer) => layer == 0 ? Sizes[0] : Sizes[layer + 1];

    /// <summary>The padded row length of layer <paramref name="layer"/>'s stored weight.</summary>
    public int StrideOf(int layer) => FloatBuffer.Padded(layer == 0 ? Sizes[1] : Sizes[layer]);

    /// <summary>The buffer of parameter array <paramref name="index"/> (weights, then biases).</summary>
    public FloatBuffer Parameter(int index) => index < LayerCount ? Weights[index] : Biases[index - LayerCount];

    /// <summary>The gradient of parameter array <paramref name="index"/>.</summary>
    public FloatBuffer Gradient(int index) => index < LayerCount ? WeightGradient(index) : BiasGradients[index - LayerCount];

    /// <summary>The L2 coefficient of parameter array <paramref name="index"/> (0 for biases).</summary>
    public float L2Of(int index) => index < LayerCount ? L2[index] : 0f;

    /// <inheritdoc />
    public int LengthOf(int index) => Parameter(index).Length;

    /// <inheritdoc />
    public void CopyOut(int index, Span<float> destination) => Parameter(index).Span.CopyTo(destination);

    /// <inheritdoc />
    public void CopyIn(int index, ReadOnlySpan<float> source) => source.CopyTo(Parameter(index).Span);

    /// <summary>Σ l2 · Σ W² over the weights, as <see cref="AutoencoderNetwork.L2Penalty"/> defines it.</summary>
    public double L2Penalty()
    {
        double penalty = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            if (L2[l] > 0)
            {
                penalty += L2[l] * FusedAdam.SumOfSquares(Weights[l]);
            }
        }

        return penalty;
    }

    /// <summary>Takes the TorchSharp network's parameters.</summary>
    public void CopyFrom(AutoencoderNetwork network)
    {
        Tensor[] parameters = CheckedParameters(network);
        for (int i = 0; i < parameters.Length; i++)
        {
            using Tensor contiguous = parameters[i].detach().contiguous();
            using TorchSharp.Utils.TensorAccessor<float> values = contiguous.data<float>();
            ConvertFromTorch(i, values.ToArray(), Parameter(i).Span);
        }
    }

    /// <summary>
    /// Writes the parameters into the TorchSharp network, straight into its tensors' memory (only the transposed
    /// first layer goes through an array): checkpoints do this every epoch.
    /// </summary>
    public void CopyTo(AutoencoderNetwork network)
    {
        Tensor[] parameters = CheckedParameters(network);
        for (int i = 0; i < parameters.Length; i++)
        {
            using TorchSharp.Utils.TensorAccessor<float> values = parameters[i].data<float>();
            if (i == 0)
            {
                var transposed = new float[parameters[0].numel()];
                ConvertToTorch(0, Parameter(0).Span, transposed);
                values.CopyFrom(transposed);
            }
            else if (i < LayerCount)
            {
                int outputs = Sizes[i + 1];
                int inputs = Sizes[i];
                for (int o = 0; o < outputs; o++)
                {
                    values.CopyFrom(Parameter(i).Span.Slice(o * StrideOf(i), inputs), 0, (long)o * inputs);
                }
            }
            else
            {
                values.CopyFrom(Parameter(i).Span[..Sizes[i - LayerCount + 1]]);
            }
        }
    }

    /// <summary>Parameter array <paramref name="index"/>'s gradient in TorchSharp's layout (tests compare it with autograd's).</summary>
    public float[] GradientInTorchLayout(int index)
    {
        var result = new float[TorchShape(index).Aggregate(1L, (a, b) => a * b)];
        ConvertToTorch(index, Gradient(index).Span, result);
        return result;
    }

    /// <summary>Sets parameter array <paramref name="index"/>'s gradient from TorchSharp's layout (tests drive the optimizer with it).</summary>
    public void SetGradientFromTorchLayout(int index, float[] values) => ConvertFromTorch(index, values, Gradient(index).Span);

    /// <summary>The TorchSharp shape of parameter array <paramref name="index"/>.</summary>
    public long[] TorchShape(int index) =>
        index < LayerCount ? [Sizes[index + 1], Sizes[index]] : [Sizes[index - LayerCount + 1]];

    private Tensor[] CheckedParameters(AutoencoderNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Tensor[] parameters = network.parameters().ToArray();
        if (parameters.Length != Count)
        {
            throw new ArgumentException($"the network has {parameters.Length} parameters, the sparse model {Count}", nameof(network));
        }

        for (int i = 0; i < Count; i++)
        {
            if (!parameters[i].shape.SequenceEqual(TorchShape(i)))
            {
                throw new ArgumentException(
                    $"parameter {i} is [{string.Join(", ", parameters[i].shape)}], expected [{string.Join(", ", TorchShape(i))}]", nameof(network));
            }
        }

        return parameters;
    }

    /// <summary>Converts parameter array <paramref name="index"/> from TorchSharp's layout into this type's (padding left as it is).</summary>
    internal void ConvertFromTorch(int index, ReadOnlySpan<float> torchLayout, Span<float> target)
    {
        if (index >= LayerCount)
        {
            torchLayout.CopyTo(target);
            return;
        }

        int layer = index;
        int outputs = Sizes[layer + 1];
        int inputs = Sizes[layer];
        int stride = StrideOf(layer);
        fixed (float* source = torchLayout)
        fixed (float* destination = target)
        {
            if (layer == 0)
            {
                Gemm.Transpose(source, outputs, inputs, inputs, destination, stride);
            }
            else
            {
                for (int o = 0; o < outputs; o++)
                {
                    new ReadOnlySpan<float>(source + ((long)o * inputs), inputs).CopyTo(new Span<float>(destination + ((long)o * stride), inputs));
                }
            }
        }
    }

    /// <summary>Converts parameter array <paramref name="index"/> from this type's layout into TorchSharp's.</summary>
    internal void ConvertToTorch(int index, ReadOnlySpan<float> from, Span<float> torchLayout)
    {
        if (index >= LayerCount)
        {
            from[..torchLayout.Length].CopyTo(torchLayout);
            return;
        }

        int layer = index;
        int outputs = Sizes[layer + 1];
        int inputs = Sizes[layer];
        int stride = StrideOf(layer);
        fixed (float* source = from)
        fixed (float* target = torchLayout)
        {
            if (layer == 0)
            {
                Gemm.Transpose(source, inputs, outputs, stride, target, inputs);
            }
            else
            {
                for (int o = 0; o < outputs; o++)
                {
                    new ReadOnlySpan<float>(source + ((long)o * stride), inputs).CopyTo(new Span<float>(target + ((long)o * inputs), inputs));
                }
            }
        }
    }
}
