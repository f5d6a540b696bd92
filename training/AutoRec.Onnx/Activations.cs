namespace AutoRec.Onnx;

/// <summary>The activation functions a layer may use, with their constants shared by training and export.</summary>
public static class Activations
{
    /// <summary>Slope of leaky ReLU's negative part (Keras' LeakyReLU default is 0.3; PyTorch's 0.01). We use 0.3 like the seed.</summary>
    public const float LeakyReluSlope = 0.3f;

    /// <summary>SELU's alpha (Klambauer et al. 2017).</summary>
    public const float SeluAlpha = 1.6732632423543772848170429916717f;

    /// <summary>SELU's scale.</summary>
    public const float SeluGamma = 1.0507009873554804934193349852946f;

    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sigmoid", "identity", "relu", "elu", "selu", "leaky_relu", "tanh", "swish"];

    /// <summary>Whether <paramref name="name"/> is an accepted activation.</summary>
    public static bool IsKnown(string name) => Names.Contains(name);
}
