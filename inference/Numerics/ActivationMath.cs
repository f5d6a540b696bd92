using System.Runtime.CompilerServices;
using AutoRec.Contracts;

namespace AutoRec.Inference.Numerics;

/// <summary>The activations as the exported graph computes them (ONNX Sigmoid, Relu, Elu, Selu, LeakyRelu, Tanh; swish as x·sigmoid(x)).</summary>
internal static class ActivationMath
{
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
            values[i] = activation.Apply(values[i]);
        }
    }
}
