using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoRec.Contracts;

/// <summary>validation.json: the test RMSE of an exported model, measured through ONNX Runtime by the validate stage.</summary>
/// <param name="Model">The model file.</param>
/// <param name="Kind">User-based or item-based.</param>
/// <param name="Dataset">The dataset the model was trained on.</param>
/// <param name="TestRmse">RMSE over all scored test ratings.</param>
/// <param name="TestRmseUserMean">Mean of per-user test RMSEs.</param>
/// <param name="TestRatings">Test ratings scored.</param>
/// <param name="SkippedRatings">Test ratings the model cannot predict (user or movie unknown to it).</param>
/// <param name="Seconds">Wall time of loading and evaluating.</param>
public sealed record ValidationReport(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("kind")] ModelKind Kind,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("test_rmse")] double TestRmse,
    [property: JsonPropertyName("test_rmse_user_mean")] double TestRmseUserMean,
    [property: JsonPropertyName("test_ratings")] int TestRatings,
    [property: JsonPropertyName("skipped_ratings")] int SkippedRatings,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    /// <summary>
    /// The test RMSE of predicting the training ratings' mean for every test rating: the bar any model must clear
    /// (a model above it has learnt less than the mean); NaN when unknown.
    /// </summary>
    [JsonPropertyName("mean_baseline_rmse")]
    public double MeanBaselineRmse { get; init; } = double.NaN;

    /// <summary>The gate the model was held to (the pipeline's <c>MaxTestRmse</c>), when one was applied.</summary>
    [JsonPropertyName("max_test_rmse")]
    public double? MaxTestRmse { get; init; }

    /// <summary>How the model was trained (<see cref="RunMetrics.ProtocolA"/> or <see cref="RunMetrics.ProtocolRefit"/>), when the pipeline said.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    /// <summary>The verdict: whether the model passed every check of the validate stage; null when no gate was applied.</summary>
    [JsonPropertyName("passed")]
    public bool? Passed { get; init; }

    /// <summary>Why it failed (empty when it passed).</summary>
    [JsonPropertyName("failures")]
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>The RMSE numbers of this report.</summary>
    [JsonIgnore]
    public RmseResult Rmse => new(TestRmse, TestRmseUserMean, TestRatings, SkippedRatings);

    /// <summary>As indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ReportJson.Options) + "\n";

    /// <summary>Parses validation.json.</summary>
    /// <exception cref="JsonException">The text is not a complete validation report.</exception>
    public static ValidationReport Parse(string json) => ReportJson.Parse<ValidationReport>(json);

    /// <summary>Reads validation.json.</summary>
    /// <exception cref="JsonException">The file is not a complete validation report.</exception>
    public static ValidationReport Read(string path) => Parse(File.ReadAllText(path));
}
