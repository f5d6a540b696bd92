using AutoRec.Contracts;
using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoRec.Training.Model;

/// <summary>
/// The autoencoder: dense layers of the configured sizes with per-layer activations, dropout after the latent
/// layer, and optionally a decoder tied to the encoder (decoder weights are the encoder's, transposed).
/// Weights are Glorot-uniform initialised, biases zero, as in Keras.
/// </summary>
public sealed class AutoencoderNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModelConfig _config;
    private readonly int[] _sizes;
    private readonly Activation[] _activations;
    private readonly int?[] _tiedTo;
    private readonly ParameterList _weights = new();
    private readonly ParameterList _biases = new();
    private readonly ParameterList _kernelInputs = new();
    private readonly ParameterList _kernelOutputs = new();
    private readonly int[] _weightSlot;

    /// <summary>Creates a network for <paramref name="inputs"/> input columns (ratings plus side features) and <paramref name="outputs"/> outputs.</summary>
    public AutoencoderNetwork(ModelConfig config, int inputs, int outputs)
        : base("autoencoder")
    {
        _config = config;
        _sizes = [inputs, .. config.Layers, outputs];
        int layers = _sizes.Length - 1;
        _activations = Enumerable.Range(0, layers)
            .Select(i => i < config.Layers.Count ? config.ActivationOf(i) : config.OutputActivation).ToArray();
        _tiedTo = new int?[layers];
        _weightSlot = new int[layers];
        for (int i = 0; i < layers; i++)
        {
            int mirror = layers - 1 - i;
            if (config.TiedWeights && mirror < i)
            {
                _tiedTo[i] = mirror;
                _weightSlot[i] = _weightSlot[mirror];
            }
            else
            {
                var weight = empty(_sizes[i + 1], _sizes[i]);
                nn.init.xavier_uniform_(weight);
                _weightSlot[i] = _weights.Count;
                _weights.Add(new Parameter(weight));
            }

            _biases.Add(new Parameter(zeros(_sizes[i + 1])));
        }

        if (config.KernelDimensions > 0)
        {
            // kernelNet starts the vectors near 0 (truncated normal, sd 1e-3), so every kernel starts near 1.
            for (int i = 0; i < layers; i++)
            {
                _kernelInputs.Add(new Parameter(nn.init.trunc_normal_(empty(_sizes[i], config.KernelDimensions), 0, 1e-3, -2e-3, 2e-3)));
                _kernelOutputs.Add(new Parameter(nn.init.trunc_normal_(empty(_sizes[i + 1], config.KernelDimensions), 0, 1e-3, -2e-3, 2e-3)));
            }
        }

        RegisterComponents();
    }

    /// <summary>Sets every output bias to <paramref name="value"/> (<see cref="OutputBiasStart.Mean"/>); draws nothing from the generator.</summary>
    public void StartOutputBiasAt(float value)
    {
        using (no_grad())
        {
            _biases[LayerCount - 1].fill_(value);
        }
    }

    /// <summary>Number of dense layers.</summary>
    public int LayerCount => _sizes.Length - 1;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor x = input;
        for (int i = 0; i < LayerCount; i++)
        {
            x = nn.functional.linear(x, WeightOf(i), _biases[i]);
            x = Activate(x, _activations[i]);
            if (i == _config.LatentIndex && _config.Dropout > 0)
            {
                x = nn.functional.dropout(x, _config.Dropout, training);
            }
        }

        return x;
    }

    /// <summary>
    /// The penalty: l2_encoder * sum(W^2) over encoder layers plus l2_decoder * sum(W^2) over the rest (on the raw
    /// weights of kernel layers, as kernelNet), plus kernel_l2 * sum(kernel^2) over kernel layers.
    /// </summary>
    public Tensor L2Penalty()
    {
        // In the parameters' type: a float32 [1] tensor would keep the sum float32 even for float64 parameters.
        Tensor penalty = zeros(1, dtype: _weights[0].dtype);
        if (_config.KernelDimensions > 0 && _config.KernelL2 > 0)
        {
            for (int i = 0; i < LayerCount; i++)
            {
                penalty = penalty + (_config.KernelL2 * Kernel(i).square().sum());
            }
        }

        for (int i = 0; i < LayerCount; i++)
        {
            if (_tiedTo[i] is not null)
            {
                continue; // counted once, with the layer that owns it
            }

            double coefficient = i <= _config.LatentIndex ? _config.L2Encoder : _config.L2Decoder;
            if (coefficient > 0)
            {
                penalty = penalty + (coefficient * _weights[_weightSlot[i]].square().sum());
            }
        }

        return penalty;
    }

    /// <summary>
    /// Makes the network compute <paramref name="factor"/> · f(x) + <paramref name="shift"/>: the output layer's weight
    /// and bias times the factor, the shift added to the bias. Needs an identity output that owns its weight.
    /// </summary>
    public void ScaleOutput(double factor, double shift)
    {
        int last = LayerCount - 1;
        if (_tiedTo[last] is not null || _activations[last] != Activation.Identity)
        {
            throw new InvalidOperationException("only an untied identity output layer can be scaled");
        }

        using (no_grad())
        {
            _weights[_weightSlot[last]].mul_(factor);
            _biases[last].mul_(factor).add_(shift);
        }
    }

    /// <summary>Copies the parameters out as plain arrays.</summary>
    public AutoencoderWeights ToWeights()
    {
        var layers = new List<DenseLayer>();
        for (int i = 0; i < LayerCount; i++)
        {
            float[] w = WeightOf(i).contiguous().data<float>().ToArray();
            layers.Add(new DenseLayer(_sizes[i], _sizes[i + 1], w, _biases[i].data<float>().ToArray(), _activations[i]) { TiedTo = _tiedTo[i] });
        }

        return new AutoencoderWeights(layers);
    }

    /// <summary>
    /// Layer <paramref name="i"/>'s [out, in] weight. A tied layer uses its mirror's weight transposed; when side
    /// features widen the input, the output layer ties to the rating columns of the first layer only.
    /// </summary>
    private Tensor WeightOf(int i)
    {
        Tensor weight = _weights[_weightSlot[i]];
        if (_config.KernelDimensions > 0)
        {
            return weight * Kernel(i);
        }

        if (_tiedTo[i] is null)
        {
            return weight;
        }

        return weight.narrow(1, 0, _sizes[i + 1]).t();
    }

    /// <summary>Layer <paramref name="i"/>'s kernel [out, in]: max(0, 1 − |v_j − u_k|²) for output j and input k.</summary>
    private Tensor Kernel(int i)
    {
        Tensor u = _kernelInputs[i];
        Tensor v = _kernelOutputs[i];
        Tensor distance = v.square().sum(1, keepdim: true) + u.square().sum(1).unsqueeze(0) - (2 * v.matmul(u.t()));
        return nn.functional.relu(1 - distance);
    }

    /// <summary>Applies <paramref name="activation"/>.</summary>
    public static Tensor Activate(Tensor x, Activation activation) => activation switch
    {
        Activation.Sigmoid => sigmoid(x),
        Activation.Identity => x,
        Activation.Relu => nn.functional.relu(x),
        Activation.Elu => nn.functional.elu(x, 1.0),
        Activation.Selu => nn.functional.selu(x),
        Activation.LeakyRelu => nn.functional.leaky_relu(x, Activations.LeakyReluSlope),
        Activation.Tanh => tanh(x),
        Activation.Swish => x * sigmoid(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "not an activation"),
    };
}
