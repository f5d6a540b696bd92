using AutoRec.Onnx;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace AutoRec.Training.Export;

/// <summary>Runs an exported model in ONNX Runtime, to compare it with the network it came from.</summary>
public static class OnnxVerifier
{
    /// <summary>
    /// Runs <paramref name="modelPath"/> on <paramref name="rows"/> rows of <paramref name="ratings"/> (and side
    /// features when given) and returns the predictions, row-major.
    /// </summary>
    public static float[] Run(string modelPath, float[] ratings, int rows, int columns, float[]? side, int sideWidth)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(OnnxModelBuilder.RatingsInput, new DenseTensor<float>(ratings, [rows, columns])),
        };
        if (side is not null)
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor(OnnxModelBuilder.SideInput, new DenseTensor<float>(side, [rows, sideWidth])));
        }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(inputs);
        return results.Single(r => r.Name == OnnxModelBuilder.PredictionsOutput).AsEnumerable<float>().ToArray();
    }

    /// <summary>The largest absolute difference between two equally long arrays.</summary>
    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"lengths differ: {a.Length} and {b.Length}", nameof(b));
        }

        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        }

        return max;
    }
}
