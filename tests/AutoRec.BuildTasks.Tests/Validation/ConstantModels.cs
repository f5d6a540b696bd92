using AutoRec.Onnx;

namespace AutoRec.BuildTasks.Tests.Validation;

/// <summary>Models whose output ignores their input: predictions are the output biases, clipped to 1..5, so RMSEs can be worked out by hand.</summary>
internal static class ConstantModels
{
    public static string Write(string directory, ModelKind kind, int[] ids, float[] outputs)
    {
        var spec = new ModelSpec { Kind = kind, Ids = ids };
        int n = ids.Length;
        var weights = new AutoencoderWeights(
        [
            new DenseLayer(n, 2, new float[2 * n], [0f, 0f], Activation.Identity),
            new DenseLayer(2, n, new float[2 * n], outputs, Activation.Identity),
        ]);
        var export = new OnnxExportSpec(DefaultFill.Zero, 0f, 3f, new float[n], 1f, 5f, 0, TestModels.MetadataOf(spec));
        string path = Path.Combine(directory, $"constant-{kind}.onnx");
        OnnxModelBuilder.Write(OnnxModelBuilder.Build(weights, export), path);
        return path;
    }
}
