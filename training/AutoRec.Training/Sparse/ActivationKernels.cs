using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoRec.Contracts;

namespace AutoRec.Training.Sparse;

/// <summary>
/// The activations of <see cref="Activation"/> and their derivatives, on rows of floats, with the constants of
/// <see cref="Activations"/> (the TorchSharp network and the ONNX graph use the same ones). Only the first n floats of
/// a row are touched: the padding beyond stays 0.
/// </summary>
internal static unsafe class ActivationKernels
{
    /// <summary>h = f(z) over <paramref name="n"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Activation activation, float* z, float* h, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && activation != Activation.Tanh)
        {
            for (; i + 16 <= n; i += 16)
            {
                Forward(activation, Vector512.Load(z + i)).Store(h + i);
            }
        }

        for (; i < n; i++)
        {
            h[i] = Forward(activation, z[i]);
        }
    }

    /// <summary>dz = dh · f'(z) over <paramref name="n"/> floats, from the pre-activation z and the activation h = f(z); dz may be dh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(Activation activation, float* z, float* h, float* dh, float* dz, int n)
    {
        if (activation == Activation.Identity)
        {
            if (dz != dh)
            {
                new Span<float>(dh, n).CopyTo(new Span<float>(dz, n));
            }

            return;
        }

        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                (Vector512.Load(dh + i) * Derivative(activation, Vector512.Load(z + i), Vector512.Load(h + i))).Store(dz + i);
            }
        }

        for (; i < n; i++)
        {
            dz[i] = dh[i] * Derivative(activation, z[i], h[i]);
        }
    }

    /// <summary>f(z).</summary>
    public static float Forward(Activation activation, float z) => activation.Apply(z);

    /// <summary>f'(z), given z and h = f(z).</summary>
    public static float Derivative(Activation activation, float z, float h)
    {
        switch (activation)
        {
            case Activation.Sigmoid:
                return h * (1f - h);
            case Activation.Identity:
                return 1f;
            case Activation.Relu:
                return z > 0 ? 1f : 0f;
            case Activation.Elu:
                return z > 0 ? 1f : h + 1f; // e^z = h + 1
            case Activation.Selu:
                return z > 0 ? Activations.SeluGamma : h + Activations.SeluGammaAlpha; // gamma alpha e^z = h + gamma alpha
            case Activation.LeakyRelu:
                return z > 0 ? 1f : Activations.LeakyReluSlope;
            case Activation.Tanh:
                return 1f - (h * h);
            case Activation.Swish:
                float s = 1f / (1f + MathF.Exp(-z));
                return s * (1f + (z * (1f - s)));
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "not an activation");
        }
    }

    private static Vector512<float> Forward(Activation activation, Vector512<float> z)
    {
        Vector512<float> one = Vector512<float>.One;
        Vector512<float> positive = Vector512.GreaterThan(z, Vector512<float>.Zero);
        return activation switch
        {
            Activation.Sigmoid => one / (one + Vector512.Exp(-z)),
            Activation.Identity => z,
            Activation.Relu => Vector512.ConditionalSelect(positive, z, Vector512<float>.Zero),
            Activation.Elu => Vector512.ConditionalSelect(positive, z, Vector512.Exp(z) - one),
            Activation.Selu => Vector512.ConditionalSelect(
                positive, z * Activations.SeluGamma, (Vector512.Exp(z) - one) * Activations.SeluGammaAlpha),
            Activation.LeakyRelu => Vector512.ConditionalSelect(positive, z, z * Activations.LeakyReluSlope),
            Activation.Swish => z / (one + Vector512.Exp(-z)),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "no vector form"),
        };
    }

    private static Vector512<float> Derivative(Activation activation, Vector512<float> z, Vector512<float> h)
    {
        Vector512<float> one = Vector512<float>.One;
        Vector512<float> positive = Vector512.GreaterThan(z, Vector512<float>.Zero);
        switch (activation)
        {
            case Activation.Sigmoid:
                return h * (one - h);
            case Activation.Relu:
                return Vector512.ConditionalSelect(positive, one, Vector512<float>.Zero);
            case Activation.Elu:
                return Vector512.ConditionalSelect(positive, one, h + one);
            case Activation.Selu:
                return Vector512.ConditionalSelect(positive, Vector512.Create(Activations.SeluGamma), h + Vector512.Create(Activations.SeluGammaAlpha));
            case Activation.LeakyRelu:
                return Vector512.ConditionalSelect(positive, one, Vector512.Create(Activations.LeakyReluSlope));
            case Activation.Tanh:
                return one - (h * h);
            case Activation.Swish:
                Vector512<float> s = one / (one + Vector512.Exp(-z));
                return s * (one + (z * (one - s)));
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "no vector form");
        }
    }
}
