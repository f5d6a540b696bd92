using AutoRec.Inference.Factors;
using AutoRec.Onnx;

namespace AutoRec.Inference.Tests;

/// <summary>
/// What the export writes beside a model.onnx served compact, for a test model: compact.bin over an orthonormal
/// basis of the given rank (random directions, Gram-Schmidt: the tests check that every runtime serves the same
/// compact model, not how good the basis is) and compact.onnx, the network over it.
/// </summary>
internal static class CompactFixture
{
    public static CompactBasis Write(TestModel model, IEnumerable<Rating> train, int rank, int seed)
    {
        using RecommenderModel full = RecommenderModel.Open(model.Path, new RecommenderOptions { CompactFactors = false });
        ModelFactors factors = ModelFactors.Of(Recommender.Create(full, train)) ?? throw new InvalidOperationException("the model is not served as factors");
        int width = factors.Width;
        int count = factors.CodeIds.Length;
        var mean = new float[width];
        for (int i = 0; i < count; i++)
        {
            for (int k = 0; k < width; k++)
            {
                mean[k] += factors.Codes[(i * width) + k] / count;
            }
        }

        var random = new Random(seed);
        var columns = new double[rank][];
        for (int j = 0; j < rank; j++)
        {
            double[] v = [.. Enumerable.Range(0, width).Select(_ => random.NextDouble() - 0.5)];
            for (int i = 0; i < j; i++)
            {
                double projection = v.Zip(columns[i]).Sum(p => p.First * p.Second);
                for (int k = 0; k < width; k++)
                {
                    v[k] -= projection * columns[i][k];
                }
            }

            double norm = Math.Sqrt(v.Sum(x => x * x));
            columns[j] = [.. v.Select(x => x / norm)];
        }

        var basis = new float[width * rank];
        for (int k = 0; k < width; k++)
        {
            for (int j = 0; j < rank; j++)
            {
                basis[(k * rank) + j] = (float)columns[j][k];
            }
        }

        string directory = Path.GetDirectoryName(model.Path)!;
        var compact = new CompactBasis(full.Sha256!, width, rank, mean, basis, "{\"fixture\":true}");
        compact.Write(Path.Combine(directory, CompactBasis.FileName));
        float[] outputBias = [.. model.Weights.Layers[^1].Bias];
        float[] outputRows = compact.ProjectRows(model.Weights.Layers[^1].Weight, outputBias);
        OnnxModelBuilder.Write(
            OnnxModelBuilder.Build(CompactNetwork.Of(model.Weights, mean, basis, rank, outputRows, outputBias), model.Export),
            Path.Combine(directory, "compact.onnx"));
        return compact;
    }
}
