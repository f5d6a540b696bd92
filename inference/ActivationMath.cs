using System.Runtime.CompilerServices;
using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>The activations as the exported graph computes them (ONNX Sigmoid, Relu, Elu, Selu, LeakyRelu, Tanh; swish as x·sigmoid(x)).</summary>
internal static class ActivationMath
{
    public static float Apply(Activation activation, float x) => activation switch
    {
        Activation.Identity => x,
        Activation.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        Activation.Relu => MathF.Max(x, 0f),
        Activation.Elu => x > 0 ? x : MathF.Exp(x) - 1f,
        Activation.Selu => Activations.SeluGamma * (x > 0 ? x : Activations.SeluAlpha * (MathF.Exp(x) - 1f)),
        Activation.LeakyRelu => x > 0 ? x : Activations.LeakyReluSlope * x,
        Activation.Tanh => MathF.Tanh(x),
        Activation.Swish => x / (1f + MathF.Exp(-x)),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "not an activation"),
    };

    /// <summary>Applies <paramref name="activation"/> in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(Activation activation, Span<float> values)
    {
        if (activation == Activation.Identity)
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Apply(activation, values[i]);
        }
    }
}
