using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoRec.Inference;

/// <summary>
/// What an AutoRec export promises, read from an open session and checked against its graph: the
/// <c>autorec.*</c> metadata, the <c>ratings</c> (and <c>side</c>) inputs and the <c>predictions</c> output.
/// </summary>
internal sealed record ModelContract(
    ModelKind Kind,
    int[] InputIds,
    int[] OutputIds,
    float RatingMin,
    float RatingMax,
    string Dataset,
    string ConfigJson,
    string[] SideFeatures)
{
    /// <summary>The graph's rating input (see AutoRec.Onnx's OnnxModelBuilder).</summary>
    public const string RatingsInput = "ratings";

    /// <summary>The graph's side-information input.</summary>
    public const string SideInput = "side";

    /// <summary>The graph's output.</summary>
    public const string PredictionsOutput = "predictions";

    /// <summary>Reads and checks the contract of <paramref name="session"/>, loaded from <paramref name="source"/>.</summary>
    /// <exception cref="ModelFormatException">The session is not an AutoRec model.</exception>
    public static ModelContract Read(InferenceSession session, string source)
    {
        IReadOnlyDictionary<string, NodeMetadata> inputs = session.InputMetadata;
        IReadOnlyDictionary<string, NodeMetadata> outputs = session.OutputMetadata;
        if (!inputs.ContainsKey(RatingsInput) || !outputs.ContainsKey(PredictionsOutput))
        {
            throw new ModelFormatException(
                ModelErrorCodes.WrongSignature, source,
                $"not an AutoRec model: expected input '{RatingsInput}' and output '{PredictionsOutput}', found inputs ({string.Join(", ", inputs.Keys)}) and outputs ({string.Join(", ", outputs.Keys)})");
        }

        Dictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
        var reader = new MetadataReader(metadata, source);
        var contract = new ModelContract(
            reader.Kind(),
            reader.IntArray("autorec.input_ids"),
            reader.IntArray("autorec.output_ids"),
            reader.Float("autorec.rating_min"),
            reader.Float("autorec.rating_max"),
            reader.Text("autorec.dataset"),
            reader.Text("autorec.config"),
            reader.StringArray("autorec.side_features"));
        contract.CheckAgainst(inputs, outputs, source);
        return contract;
    }

    private void CheckAgainst(IReadOnlyDictionary<string, NodeMetadata> inputs, IReadOnlyDictionary<string, NodeMetadata> outputs, string source)
    {
        void Require(bool ok, string code, string reason)
        {
            if (!ok)
            {
                throw new ModelFormatException(code, source, reason);
            }
        }

        Require(
            float.IsFinite(RatingMin) && float.IsFinite(RatingMax) && RatingMin < RatingMax,
            ModelErrorCodes.BadMetadata, $"autorec.rating_min ({RatingMin}) must be below autorec.rating_max ({RatingMax})");
        Require(InputIds.Length > 0 && OutputIds.Length > 0, ModelErrorCodes.BadMetadata, "autorec.input_ids and autorec.output_ids must not be empty");
        Require(InputIds.Distinct().Count() == InputIds.Length, ModelErrorCodes.BadMetadata, "autorec.input_ids has duplicate ids");
        Require(OutputIds.Distinct().Count() == OutputIds.Length, ModelErrorCodes.BadMetadata, "autorec.output_ids has duplicate ids");

        string[] expectedInputs = SideFeatures.Length > 0 ? [RatingsInput, SideInput] : [RatingsInput];
        Require(
            inputs.Keys.Order(StringComparer.Ordinal).SequenceEqual(expectedInputs.Order(StringComparer.Ordinal)),
            ModelErrorCodes.WrongSignature,
            $"expected inputs ({string.Join(", ", expectedInputs)}) for {SideFeatures.Length} side features, found ({string.Join(", ", inputs.Keys)})");
        CheckMatrix(inputs[RatingsInput], RatingsInput, InputIds.Length, "autorec.input_ids", source);
        CheckMatrix(outputs[PredictionsOutput], PredictionsOutput, OutputIds.Length, "autorec.output_ids", source);
        if (SideFeatures.Length > 0)
        {
            CheckMatrix(inputs[SideInput], SideInput, SideFeatures.Length, "autorec.side_features", source);
        }
    }

    private static void CheckMatrix(NodeMetadata node, string name, int width, string metadataKey, string source)
    {
        if (!node.IsTensor || node.ElementDataType != TensorElementType.Float)
        {
            throw new ModelFormatException(ModelErrorCodes.WrongSignature, source, $"'{name}' must be a float32 tensor");
        }

        int[] dims = node.Dimensions;
        if (dims.Length != 2 || dims[1] != width)
        {
            // A symbolic batch dimension reads as -1; the width must be fixed and match the metadata.
            throw new ModelFormatException(
                ModelErrorCodes.BadMetadata, source,
                $"'{name}' has shape [{string.Join(", ", dims)}] but {metadataKey} lists {width} entries: expected [batch, {width}]");
        }
    }

    /// <summary>Parses the metadata values, naming the key in every error.</summary>
    private sealed class MetadataReader(Dictionary<string, string> metadata, string source)
    {
        public string Text(string key) =>
            metadata.TryGetValue(key, out string? value)
                ? value
                : throw new ModelFormatException(ModelErrorCodes.BadMetadata, source, $"not an AutoRec model: metadata '{key}' is missing");

        public ModelKind Kind() => Text("autorec.kind") switch
        {
            "user-based" => ModelKind.UserBased,
            "item-based" => ModelKind.ItemBased,
            string other => throw Bad("autorec.kind", $"'{other}' is neither 'user-based' nor 'item-based'"),
        };

        public float Float(string key)
        {
            string text = Text(key);
            return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                ? value
                : throw Bad(key, $"'{text}' is not a number");
        }

        public int[] IntArray(string key) => Json<int[]>(key, "a JSON array of integers");

        public string[] StringArray(string key) => Json<string[]>(key, "a JSON array of strings");

        private T Json<T>(string key, string expected)
            where T : class
        {
            try
            {
                return JsonSerializer.Deserialize<T>(Text(key)) ?? throw Bad(key, $"null, expected {expected}");
            }
            catch (JsonException e)
            {
                throw Bad(key, $"expected {expected}: {e.Message}");
            }
        }

        private ModelFormatException Bad(string key, string reason) =>
            new(ModelErrorCodes.BadMetadata, source, $"metadata '{key}': {reason}");
    }
}
