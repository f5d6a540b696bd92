using AutoRec.Contracts;
using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoRec.Training.Model;

/// <summary>
/// The network of a config with <see cref="ModelConfig.Towers"/>: autoencoders that read the same input, whose
/// outputs are summed. Blend weights are folded into each tower's output layer (see
/// <see cref="TowerNetwork.Blend"/>), so the sum is the blend. Exported as one graph: the towers' hidden layers side
/// by side, their last hidden values concatenated as the codes, and one output layer over the codes.
/// </summary>
public sealed class TowerNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<AutoencoderNetwork> _towers = new();

    /// <summary>Creates untrained towers for <paramref name="config"/> (each tower's merged architecture).</summary>
    public TowerNetwork(ModelConfig config, int inputs, int outputs)
        : base("towers")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Towers is null)
        {
            throw new ArgumentException("the config has no towers", nameof(config));
        }

        foreach (ModelConfig tower in config.Towers)
        {
            _towers.Add(new AutoencoderNetwork(tower, inputs, outputs));
        }

        RegisterComponents();
    }

    /// <summary>The towers, in the config's order.</summary>
    public IReadOnlyList<AutoencoderNetwork> Towers => [.. _towers];

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor sum = _towers[0].forward(input);
        for (int t = 1; t < _towers.Count; t++)
        {
            sum = sum + _towers[t].forward(input);
        }

        return sum;
    }

    /// <summary>
    /// Copies trained <paramref name="towers"/> into this network with the blend <paramref name="weights"/> [intercept,
    /// w_1, ..., w_k] folded in: tower t's output layer times w_t, and the intercept added to the first tower's bias.
    /// </summary>
    public void Blend(IReadOnlyList<AutoencoderNetwork> towers, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(towers);
        ArgumentNullException.ThrowIfNull(weights);
        if (towers.Count != _towers.Count || weights.Count != towers.Count + 1)
        {
            throw new ArgumentException($"{towers.Count} towers and {weights.Count} weights for a network of {_towers.Count} towers");
        }

        using (no_grad())
        {
            for (int t = 0; t < towers.Count; t++)
            {
                _towers[t].load_state_dict(towers[t].state_dict());
                _towers[t].ScaleOutput(weights[t + 1], t == 0 ? weights[0] : 0);
            }
        }
    }

    /// <summary>
    /// Copies the parameters out as plain arrays: every tower's hidden layers (tower by tower), then one output layer
    /// over the concatenated codes whose weight is the towers' output weights side by side and whose bias is their sum.
    /// </summary>
    public AutoencoderWeights ToWeights()
    {
        var layers = new List<DenseLayer>();
        var starts = new List<int>();
        var outputs = new List<DenseLayer>();
        foreach (AutoencoderNetwork tower in _towers)
        {
            IReadOnlyList<DenseLayer> own = tower.ToWeights().Layers;
            starts.Add(layers.Count);
            layers.AddRange(own.Take(own.Count - 1));
            outputs.Add(own[^1]);
        }

        int rows = outputs[0].Outputs;
        int codes = outputs.Sum(o => o.Inputs);
        var weight = new float[(long)rows * codes];
        var bias = new float[rows];
        int offset = 0;
        foreach (DenseLayer output in outputs)
        {
            for (int r = 0; r < rows; r++)
            {
                output.Weight.AsSpan(r * output.Inputs, output.Inputs).CopyTo(weight.AsSpan((r * codes) + offset, output.Inputs));
                bias[r] += output.Bias[r];
            }

            offset += output.Inputs;
        }

        layers.Add(new DenseLayer(codes, rows, weight, bias, Activation.Identity));
        return new AutoencoderWeights(layers) { TowerStarts = starts };
    }
}
