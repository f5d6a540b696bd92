using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoRec.Contracts;

/// <summary>The activation functions a layer may use. Training, the ONNX writer and configs share this one list.</summary>
[JsonConverter(typeof(ActivationJsonConverter))]
public enum Activation
{
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,

    /// <summary>x.</summary>
    Identity,

    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>x for x > 0, e^x - 1 otherwise (alpha 1).</summary>
    Elu,

    /// <summary>Scaled ELU (Klambauer et al. 2017) with <see cref="Activations.SeluAlpha"/> and <see cref="Activations.SeluGamma"/>.</summary>
    Selu,

    /// <summary>x for x > 0, <see cref="Activations.LeakyReluSlope"/> x otherwise.</summary>
    LeakyRelu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>x sigmoid(x).</summary>
    Swish,
}

/// <summary>Names and constants of <see cref="Activation"/>.</summary>
public static class Activations
{
    /// <summary>Slope of leaky ReLU's negative part (Keras' LeakyReLU default is 0.3; PyTorch's 0.01). We use 0.3 like the seed.</summary>
    public const float LeakyReluSlope = 0.3f;

    /// <summary>SELU's alpha (Klambauer et al. 2017).</summary>
    public const float SeluAlpha = 1.6732632423543772848170429916717f;

    /// <summary>SELU's scale.</summary>
    public const float SeluGamma = 1.0507009873554804934193349852946f;

    private static readonly (Activation Value, string Name)[] Table =
    [
        (Activation.Sigmoid, "sigmoid"),
        (Activation.Identity, "identity"),
        (Activation.Relu, "relu"),
        (Activation.Elu, "elu"),
        (Activation.Selu, "selu"),
        (Activation.LeakyRelu, "leaky_relu"),
        (Activation.Tanh, "tanh"),
        (Activation.Swish, "swish"),
    ];

    /// <summary>
    /// f(<paramref name="x"/>) for one value, as training and the exported graph compute it: the one scalar definition
    /// the C# training kernels and the inference library's factor path share.
    /// </summary>
    public static float Apply(this Activation activation, float x) => activation switch
    {
        Activation.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        Activation.Identity => x,
        Activation.Relu => x > 0 ? x : 0f,
        Activation.Elu => x > 0 ? x : MathF.Exp(x) - 1f,
        Activation.Selu => x > 0 ? SeluGamma * x : SeluGammaAlpha * (MathF.Exp(x) - 1f),
        Activation.LeakyRelu => x > 0 ? x : LeakyReluSlope * x,
        Activation.Tanh => MathF.Tanh(x),
        Activation.Swish => x / (1f + MathF.Exp(-x)),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "not an activation"),
    };

    /// <summary>SELU's scale times its alpha: the factor of its negative branch.</summary>
    public const float SeluGammaAlpha = SeluGamma * SeluAlpha;

    /// <summary>The accepted names, as configs spell them.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(Table.Select(entry => entry.Name).ToArray());

    /// <summary>Every activation.</summary>
    public static IReadOnlyList<Activation> All { get; } = Array.AsReadOnly(Table.Select(entry => entry.Value).ToArray());

    /// <summary>The config name of <paramref name="activation"/> (e.g. <c>leaky_relu</c>).</summary>
    public static string Name(this Activation activation)
    {
        foreach ((Activation value, string name) in Table)
        {
            if (value == activation)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(activation), activation, "not an activation");
    }

    /// <summary>The activation named <paramref name="name"/>, if any.</summary>
    public static bool TryParse(string? name, out Activation activation)
    {
        foreach ((Activation value, string known) in Table)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                activation = value;
                return true;
            }
        }

        activation = default;
        return false;
    }

    /// <summary>The activation named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No activation has that name; the message lists the accepted ones.</exception>
    public static Activation Parse(string name) =>
        TryParse(name, out Activation activation)
            ? activation
            : throw new ArgumentException(UnknownMessage(name), nameof(name));

    internal static string UnknownMessage(string? name) => $"unknown activation '{name}'; use one of {string.Join(", ", Names)}";
}

/// <summary>Reads and writes activations by their config names, with an error that lists the accepted ones.</summary>
public sealed class ActivationJsonConverter : JsonConverter<Activation>
{
    /// <inheritdoc />
    public override Activation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return Activations.TryParse(name, out Activation activation)
            ? activation
            : throw new JsonException(Activations.UnknownMessage(name ?? reader.TokenType.ToString()));
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Activation value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Name());
    }
}
