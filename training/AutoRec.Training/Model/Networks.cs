using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using static TorchSharp.torch;

namespace AutoRec.Training.Model;

/// <summary>The network a config describes: an <see cref="AutoencoderNetwork"/>, or a <see cref="TowerNetwork"/> for a config with towers.</summary>
public static class Networks
{
    /// <summary>An untrained network for <paramref name="config"/> (the architecture its model files describe).</summary>
    public static nn.Module<Tensor, Tensor> Create(ModelConfig config, int inputs, int outputs)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Towers is null ? new AutoencoderNetwork(config, inputs, outputs) : new TowerNetwork(config, inputs, outputs);
    }

    /// <summary>The parameters of a network <see cref="Create"/> makes, as plain arrays.</summary>
    public static AutoencoderWeights ToWeights(nn.Module<Tensor, Tensor> network) => network switch
    {
        AutoencoderNetwork autoencoder => autoencoder.ToWeights(),
        TowerNetwork towers => towers.ToWeights(),
        _ => throw new ArgumentException($"not an AutoRec network: {network?.GetType().Name}", nameof(network)),
    };
}
