using System.Text.Json;
using System.Text.Json.Serialization;
using AutoRec.Data;

namespace AutoRec.Inference;

/// <summary>validation.json: the test RMSE of an exported model, measured through ONNX Runtime.</summary>
/// <param name="Model">The model file.</param>
/// <param name="Kind">"user-based" or "item-based".</param>
/// <param name="Dataset">The dataset the model was trained on.</param>
/// <param name="TestRmse">RMSE over all scored test ratings.</param>
/// <param name="TestRmseUserMean">Mean of per-user test RMSEs.</param>
/// <param name="TestRatings">Test ratings scored.</param>
/// <param name="SkippedRatings">Test ratings the model cannot predict (user or movie unknown to it).</param>
/// <param name="Seconds">Wall time of loading and evaluating.</param>
public sealed record ValidationReport(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("test_rmse")] double TestRmse,
    [property: JsonPropertyName("test_rmse_user_mean")] double TestRmseUserMean,
    [property: JsonPropertyName("test_ratings")] int TestRatings,
    [property: JsonPropertyName("skipped_ratings")] int SkippedRatings,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    // NaN is written as "NaN" rather than failing: a test split with nothing to score still gets a report.
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The RMSE numbers of this report.</summary>
    [JsonIgnore]
    public RmseResult Rmse => new(TestRmse, TestRmseUserMean, TestRatings, SkippedRatings);

    /// <summary>As indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>Writes validation.json to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFiles.Write(path, staged => File.WriteAllText(staged, ToJson()));

    /// <summary>Reads a validation.json.</summary>
    public static ValidationReport Read(string path) =>
        JsonSerializer.Deserialize<ValidationReport>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: empty validation report");
}
