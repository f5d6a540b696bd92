namespace AutoRec.Contracts;

/// <summary>
/// The names of an AutoRec ONNX graph's values: input <see cref="RatingsInput"/> float32 [batch, inputs] with 0 for
/// unknown, <see cref="SideInput"/> float32 [batch, side features] when the model has side features, and output
/// <see cref="PredictionsOutput"/> float32 [batch, outputs] clipped to the rating scale.
/// </summary>
public static class ModelGraph
{
    /// <summary>The rating input: one row of the rating matrix, 0 where a rating is unknown.</summary>
    public const string RatingsInput = "ratings";

    /// <summary>The side-information input (only when the model has side features).</summary>
    public const string SideInput = "side";

    /// <summary>The output: predicted ratings, clipped to the model's scale.</summary>
    public const string PredictionsOutput = "predictions";

    /// <summary>
    /// The initializer holding dense layer <paramref name="layer"/>'s weight, float32 [outputs, inputs] (layer 0 reads
    /// the input, each layer the one before; the last one writes the output). In a blend of towers the first layer of
    /// each tower reads the input and the last layer reads the towers' last hidden values, concatenated in order.
    /// Runtimes that serve a model as factors read the weights by these names.
    /// </summary>
    public static string LayerWeight(int layer) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"layer{layer}.weight");

    /// <summary>The initializer holding dense layer <paramref name="layer"/>'s bias, float32 [outputs].</summary>
    public static string LayerBias(int layer) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"layer{layer}.bias");
}

/// <summary>The <c>autorec.*</c> metadata keys of a model file (and of the ratings Parquet files, for the scale).</summary>
public static class ModelMetadataKeys
{
    /// <summary><c>user-based</c> or <c>item-based</c>.</summary>
    public const string Kind = "autorec.kind";

    /// <summary>The id of each input column, a JSON array of integers.</summary>
    public const string InputIds = "autorec.input_ids";

    /// <summary>The id of each output column, a JSON array of integers.</summary>
    public const string OutputIds = "autorec.output_ids";

    /// <summary>The lowest rating, an invariant-culture float.</summary>
    public const string RatingMin = "autorec.rating_min";

    /// <summary>The highest rating, an invariant-culture float.</summary>
    public const string RatingMax = "autorec.rating_max";

    /// <summary>The step between ratings (Parquet files only).</summary>
    public const string RatingStep = "autorec.rating_step";

    /// <summary>The dataset the model was trained on.</summary>
    public const string Dataset = "autorec.dataset";

    /// <summary>The training config, as JSON.</summary>
    public const string Config = "autorec.config";

    /// <summary>The meaning of each side-feature column, a JSON array of strings.</summary>
    public const string SideFeatures = "autorec.side_features";
}
