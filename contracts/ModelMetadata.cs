using System.Globalization;
using System.Text.Json;

namespace AutoRec.Contracts;

/// <summary>
/// What a model file says about itself in its <c>autorec.*</c> metadata: written by the exporter with
/// <see cref="ToProperties"/>, read back by any runtime with <see cref="FromProperties"/>.
/// </summary>
/// <param name="Kind">User-based or item-based.</param>
/// <param name="InputIds">The id of each input column: movie ids for user-based models, user ids for item-based ones.</param>
/// <param name="OutputIds">The id of each output column.</param>
/// <param name="RatingMin">The lowest rating; predictions are clipped to it.</param>
/// <param name="RatingMax">The highest rating.</param>
/// <param name="Dataset">The dataset the model was trained on (e.g. <c>ml-1m</c>).</param>
/// <param name="ConfigJson">The training configuration, as JSON.</param>
/// <param name="SideFeatures">The meaning of each side-feature column (empty when the model takes none).</param>
public sealed record ModelMetadata(
    ModelKind Kind,
    int[] InputIds,
    int[] OutputIds,
    float RatingMin,
    float RatingMax,
    string Dataset,
    string ConfigJson,
    string[] SideFeatures)
{
    /// <summary>The metadata entries of a model file, keyed by <see cref="ModelMetadataKeys"/>.</summary>
    public IReadOnlyDictionary<string, string> ToProperties() => new Dictionary<string, string>
    {
        [ModelMetadataKeys.Kind] = Kind.Name(),
        [ModelMetadataKeys.InputIds] = JsonSerializer.Serialize(InputIds),
        [ModelMetadataKeys.OutputIds] = JsonSerializer.Serialize(OutputIds),
        [ModelMetadataKeys.RatingMin] = RatingMin.ToString("R", CultureInfo.InvariantCulture),
        [ModelMetadataKeys.RatingMax] = RatingMax.ToString("R", CultureInfo.InvariantCulture),
        [ModelMetadataKeys.Dataset] = Dataset,
        [ModelMetadataKeys.Config] = ConfigJson,
        [ModelMetadataKeys.SideFeatures] = JsonSerializer.Serialize(SideFeatures),
    };

    /// <summary>Parses and checks a model file's metadata entries.</summary>
    /// <exception cref="ModelMetadataException">An entry is missing or malformed, or the entries disagree.</exception>
    public static ModelMetadata FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var reader = new Reader(properties);
        var metadata = new ModelMetadata(
            reader.Kind(),
            reader.Json<int[]>(ModelMetadataKeys.InputIds, "a JSON array of integers"),
            reader.Json<int[]>(ModelMetadataKeys.OutputIds, "a JSON array of integers"),
            reader.Float(ModelMetadataKeys.RatingMin),
            reader.Float(ModelMetadataKeys.RatingMax),
            reader.Text(ModelMetadataKeys.Dataset),
            reader.Text(ModelMetadataKeys.Config),
            reader.Json<string[]>(ModelMetadataKeys.SideFeatures, "a JSON array of strings"));
        metadata.Check();
        return metadata;
    }

    private void Check()
    {
        static void Require(bool ok, string key, string reason)
        {
            if (!ok)
            {
                throw new ModelMetadataException(key, reason);
            }
        }

        Require(
            float.IsFinite(RatingMin) && float.IsFinite(RatingMax) && RatingMin < RatingMax, ModelMetadataKeys.RatingMin,
            $"{ModelMetadataKeys.RatingMin} ({RatingMin}) must be below {ModelMetadataKeys.RatingMax} ({RatingMax})");
        Require(
            InputIds.Length > 0 && OutputIds.Length > 0, ModelMetadataKeys.InputIds,
            $"{ModelMetadataKeys.InputIds} and {ModelMetadataKeys.OutputIds} must not be empty");
        Require(InputIds.Distinct().Count() == InputIds.Length, ModelMetadataKeys.InputIds, $"{ModelMetadataKeys.InputIds} has duplicate ids");
        Require(OutputIds.Distinct().Count() == OutputIds.Length, ModelMetadataKeys.OutputIds, $"{ModelMetadataKeys.OutputIds} has duplicate ids");
    }

    /// <summary>Parses the entries, naming the key in every error.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, string> properties)
    {
        public string Text(string key) =>
            properties.TryGetValue(key, out string? value)
                ? value
                : throw new ModelMetadataException(key, $"not an AutoRec model: metadata '{key}' is missing");

        public ModelKind Kind()
        {
            string text = Text(ModelMetadataKeys.Kind);
            return ModelKinds.TryParse(text, out ModelKind kind)
                ? kind
                : throw Bad(ModelMetadataKeys.Kind, $"'{text}' is neither 'user-based' nor 'item-based'");
        }

        public float Float(string key)
        {
            string text = Text(key);
            return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                ? value
                : throw Bad(key, $"'{text}' is not a number");
        }

        public T Json<T>(string key, string expected)
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

        private static ModelMetadataException Bad(string key, string reason) => new(key, $"metadata '{key}': {reason}");
    }
}

/// <summary>A model file's <c>autorec.*</c> metadata is missing, malformed or inconsistent.</summary>
public sealed class ModelMetadataException : Exception
{
    /// <summary>Creates an error about the entry <paramref name="key"/>.</summary>
    public ModelMetadataException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    /// <summary>The metadata key at fault.</summary>
    public string Key { get; }
}
