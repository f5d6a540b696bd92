using System.Globalization;
using System.Text.Json;
using AutoRec.Onnx;
using Onnx;

namespace AutoRec.Inference.Tests;

/// <summary>What a small random model built for a test looks like.</summary>
internal sealed record ModelSpec
{
    public ModelKind Kind { get; init; } = ModelKind.UserBased;

    /// <summary>Column ids, deliberately unsorted so that tests catch index/id mix-ups.</summary>
    public int[] Ids { get; init; } = [101, 7, 55, 3, 250, 18, 9];

    public int[] Hidden { get; init; } = [5];

    public string HiddenActivation { get; init; } = "sigmoid";

    public string OutputActivation { get; init; } = "identity";

    public DefaultFill Fill { get; init; } = DefaultFill.Zero;

    public float FillConstant { get; init; } = 3f;

    public int SideWidth { get; init; }

    /// <summary>Side-feature names (default <c>feature=i</c>); must have <see cref="SideWidth"/> entries when given.</summary>
    public string[]? SideNames { get; init; }

    public bool Tied { get; init; }

    public int Seed { get; init; } = 1;

    public float RatingMin { get; init; } = 1f;

    public float RatingMax { get; init; } = 5f;

    public string Dataset { get; init; } = "tiny";
}

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

/// <summary>Builds small models with random weights through the real exporter (OnnxModelBuilder).</summary>
internal static class TestModels
{
    public static TestModel Write(string directory, ModelSpec spec, string name = "model.onnx")
    {
        (AutoencoderWeights weights, OnnxExportSpec export) = Create(spec);
        string path = System.IO.Path.Combine(directory, name);
        OnnxModelBuilder.Write(OnnxModelBuilder.Build(weights, export), path);
        return new TestModel(path, spec, weights, export);
    }

    public static (AutoencoderWeights Weights, OnnxExportSpec Export) Create(ModelSpec spec, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var random = new Random(spec.Seed);
        int n = spec.Ids.Length;
        int[] sizes = [n + spec.SideWidth, .. spec.Hidden, n];
        int count = sizes.Length - 1;
        var layers = new List<DenseLayer>();
        for (int i = 0; i < count; i++)
        {
            bool output = i == count - 1;
            string activation = output ? spec.OutputActivation : spec.HiddenActivation;
            int inputs = sizes[i];
            int outputs = sizes[i + 1];
            int mirror = count - 1 - i;
            if (spec.Tied && mirror < i)
            {
                // The tied layer's own weight is the owner's transposed, as AutoencoderNetwork.ToWeights writes it.
                DenseLayer owner = layers[mirror];
                var transposed = new float[inputs * outputs];
                for (int r = 0; r < outputs; r++)
                {
                    for (int c = 0; c < inputs; c++)
                    {
                        transposed[(r * inputs) + c] = owner.Weight[(c * owner.Inputs) + r];
                    }
                }

                layers.Add(new DenseLayer(inputs, outputs, transposed, Biases(random, outputs, output), activation) { TiedTo = mirror });
                continue;
            }

            // Output weights are large enough that some predictions fall outside the scale and get clipped.
            float scale = output ? 2f : MathF.Sqrt(6f / (inputs + outputs)) * 1.5f;
            float[] weight = Enumerable.Range(0, inputs * outputs).Select(_ => ((float)random.NextDouble() * 2f - 1f) * scale).ToArray();
            layers.Add(new DenseLayer(inputs, outputs, weight, Biases(random, outputs, output), activation));
        }

        float[] columnMeans = Enumerable.Range(0, n).Select(_ => 1f + (4f * (float)random.NextDouble())).ToArray();
        var export = new OnnxExportSpec(
            spec.Fill, spec.FillConstant, 3.3f, columnMeans, spec.RatingMin, spec.RatingMax, spec.SideWidth,
            metadata ?? Metadata(spec));
        return (new AutoencoderWeights(layers), export);
    }

    public static Dictionary<string, string> Metadata(ModelSpec spec) => new()
    {
        ["autorec.kind"] = spec.Kind == ModelKind.UserBased ? "user-based" : "item-based",
        ["autorec.input_ids"] = JsonSerializer.Serialize(spec.Ids),
        ["autorec.output_ids"] = JsonSerializer.Serialize(spec.Ids),
        ["autorec.rating_min"] = spec.RatingMin.ToString("R", CultureInfo.InvariantCulture),
        ["autorec.rating_max"] = spec.RatingMax.ToString("R", CultureInfo.InvariantCulture),
        ["autorec.dataset"] = spec.Dataset,
        ["autorec.config"] = $$"""{"name":"test","kind":"{{(spec.Kind == ModelKind.UserBased ? "user-based" : "item-based")}}"}""",
        ["autorec.side_features"] = JsonSerializer.Serialize(spec.SideNames ?? Enumerable.Range(0, spec.SideWidth).Select(i => $"feature={i}").ToArray()),
    };

    /// <summary>Writes a model proto as built by <paramref name="change"/> from a valid one (for malformed-model tests).</summary>
    public static string WriteChanged(string directory, string name, ModelSpec spec, Action<ModelProto> change, IReadOnlyDictionary<string, string>? metadata = null)
    {
        (AutoencoderWeights weights, OnnxExportSpec export) = Create(spec, metadata);
        ModelProto model = OnnxModelBuilder.Build(weights, export);
        change(model);
        string path = System.IO.Path.Combine(directory, name);
        OnnxModelBuilder.Write(model, path);
        return path;
    }

    private static float[] Biases(Random random, int count, bool output) =>
        Enumerable.Range(0, count).Select(_ => output ? 2f + (2f * (float)random.NextDouble()) : (float)random.NextDouble() - 0.5f).ToArray();
}
