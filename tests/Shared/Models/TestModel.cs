using AutoRec.Inference;
using AutoRec.Onnx;

namespace AutoRec.Tests.Shared;

/// <summary>A model written to disk with the weights it was built from, for reference computations.</summary>
internal sealed record TestModel(string Path, ModelSpec Spec, AutoencoderWeights Weights, OnnxExportSpec Export)
{
    /// <summary>The reference prediction of one row given as ratings by id.</summary>
    public float[] Reference(IReadOnlyDictionary<int, float> ratings, float[]? side = null)
    {
        var dense = new float[Spec.Ids.Length];
        foreach ((int id, float value) in ratings)
        {
            dense[Array.IndexOf(Spec.Ids, id)] = value;
        }

        return ReferenceNetwork.Forward(Weights, Export, dense, side ?? []);
    }

    public RecommenderModel Open(RecommenderOptions? options = null) => RecommenderModel.Open(Path, options);
}
