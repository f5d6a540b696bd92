using AutoRec.Onnx;
using Onnx;

namespace AutoRec.Tests.Shared;

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

    public static (AutoencoderWeights Weights, OnnxExportSpec Export) Create(ModelSpec spec)
    {
        var random = new Random(spec.Seed);
        int n = spec.Ids.Length;
        if (spec.Towers is not null)
        {
            return CreateTowers(spec, random);
        }

        int[] sizes = [n + spec.SideWidth, .. spec.Hidden, n];
        int count = sizes.Length - 1;
        var layers = new List<DenseLayer>();
        for (int i = 0; i < count; i++)
        {
            bool output = i == count - 1;
            Activation activation = output ? spec.OutputActivation : spec.HiddenActivation;
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

        return (new AutoencoderWeights(layers), ExportSpec(spec, random));
    }

    /// <summary>Towers of random dense layers reading the input, and one output layer over their concatenated codes.</summary>
    private static (AutoencoderWeights Weights, OnnxExportSpec Export) CreateTowers(ModelSpec spec, Random random)
    {
        int n = spec.Ids.Length;
        var layers = new List<DenseLayer>();
        var starts = new List<int>();
        foreach (int[] hidden in spec.Towers!)
        {
            starts.Add(layers.Count);
            int inputs = n + spec.SideWidth;
            foreach (int outputs in hidden)
            {
                layers.Add(Dense(random, inputs, outputs, output: false, spec.HiddenActivation));
                inputs = outputs;
            }
        }

        layers.Add(Dense(random, spec.Towers.Sum(hidden => hidden[^1]), n, output: true, spec.OutputActivation));
        return (new AutoencoderWeights(layers) { TowerStarts = starts }, ExportSpec(spec, random));
    }

    private static DenseLayer Dense(Random random, int inputs, int outputs, bool output, Activation activation)
    {
        float scale = output ? 2f : MathF.Sqrt(6f / (inputs + outputs)) * 1.5f;
        float[] weight = Enumerable.Range(0, inputs * outputs).Select(_ => ((float)random.NextDouble() * 2f - 1f) * scale).ToArray();
        return new DenseLayer(inputs, outputs, weight, Biases(random, outputs, output), activation);
    }

    private static OnnxExportSpec ExportSpec(ModelSpec spec, Random random)
    {
        float[] columnMeans = Enumerable.Range(0, spec.Ids.Length).Select(_ => 1f + (4f * (float)random.NextDouble())).ToArray();
        return new OnnxExportSpec(spec.Fill, spec.FillConstant, 3.3f, columnMeans, spec.RatingMin, spec.RatingMax, spec.SideWidth, MetadataOf(spec));
    }

    /// <summary>The metadata the exporter writes for <paramref name="spec"/>.</summary>
    public static ModelMetadata MetadataOf(ModelSpec spec) => new(
        spec.Kind,
        spec.Ids,
        spec.Ids,
        spec.RatingMin,
        spec.RatingMax,
        spec.Dataset,
        ConfigJson(spec),
        spec.SideNames ?? Enumerable.Range(0, spec.SideWidth).Select(i => $"feature={i}").ToArray());

    /// <summary>The training config a model of <paramref name="spec"/> says it was trained with.</summary>
    public static string ConfigJson(ModelSpec spec)
    {
        var config = new System.Text.Json.Nodes.JsonObject { ["name"] = "test", ["kind"] = spec.Kind.Name() };
        if (spec.L2Decoder is double l2)
        {
            config["l2_decoder"] = l2;
        }

        if (spec.Loss is string loss)
        {
            config["loss"] = loss;
        }

        if (spec.BatchSize is int batchSize)
        {
            config["batch_size"] = batchSize;
        }

        return config.ToJsonString();
    }

    /// <summary>The metadata entries of <paramref name="spec"/>'s model file, to change for malformed-model tests.</summary>
    public static Dictionary<string, string> Metadata(ModelSpec spec) => new(MetadataOf(spec).ToProperties());

    /// <summary>
    /// Writes a model proto as built by <paramref name="change"/> from a valid one, with <paramref name="metadata"/>
    /// as its metadata entries when given (for malformed-model tests).
    /// </summary>
    public static string WriteChanged(string directory, string name, ModelSpec spec, Action<ModelProto> change, IReadOnlyDictionary<string, string>? metadata = null)
    {
        (AutoencoderWeights weights, OnnxExportSpec export) = Create(spec);
        ModelProto model = OnnxModelBuilder.Build(weights, export);
        if (metadata is not null)
        {
            model.MetadataProps.Clear();
            foreach ((string key, string value) in metadata)
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
        }

        change(model);
        string path = System.IO.Path.Combine(directory, name);
        OnnxModelBuilder.Write(model, path);
        return path;
    }

    private static float[] Biases(Random random, int count, bool output) =>
        Enumerable.Range(0, count).Select(_ => output ? 2f + (2f * (float)random.NextDouble()) : (float)random.NextDouble() - 0.5f).ToArray();
}
