using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoRec.Contracts;

/// <summary>metrics.json: the numbers of a finished training run, written by the trainer, checked by the validate stage.</summary>
/// <param name="TestRmse">Global test RMSE of the best epoch.</param>
/// <param name="TestRmseUserMean">Mean of per-user test RMSEs.</param>
/// <param name="ValidationRmse">Global validation RMSE of the best epoch.</param>
/// <param name="ValidationRmseUserMean">Mean of per-user validation RMSEs.</param>
/// <param name="TrainRmse">Training RMSE at the best epoch.</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run.</param>
/// <param name="TrainSeconds">Seconds spent in epochs.</param>
/// <param name="SecondsPerEpoch">Their mean.</param>
/// <param name="PeakRssMb">The trainer's peak resident memory.</param>
/// <param name="TestRatings">Test ratings scored.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Protocol">How the model was trained: <see cref="ProtocolA"/> (on train, every choice made on validation) or <see cref="ProtocolRefit"/> (on train + validation, with protocol A's choices).</param>
/// <param name="Selection">What was chosen on validation: the refit of this model (or this refit) follows it.</param>
public sealed record RunMetrics(
    [property: JsonPropertyName("test_rmse")] double TestRmse,
    [property: JsonPropertyName("test_rmse_user_mean")] double TestRmseUserMean,
    [property: JsonPropertyName("validation_rmse")] double ValidationRmse,
    [property: JsonPropertyName("validation_rmse_user_mean")] double ValidationRmseUserMean,
    [property: JsonPropertyName("train_rmse")] double TrainRmse,
    [property: JsonPropertyName("best_epoch")] int BestEpoch,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("stopped_early")] bool StoppedEarly,
    [property: JsonPropertyName("train_seconds")] double TrainSeconds,
    [property: JsonPropertyName("seconds_per_epoch")] double SecondsPerEpoch,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMb,
    [property: JsonPropertyName("test_ratings")] int TestRatings,
    [property: JsonPropertyName("parameters")] long Parameters,
    [property: JsonPropertyName("protocol")] string Protocol = RunMetrics.ProtocolA,
    [property: JsonPropertyName("selection")] ModelSelection? Selection = null)
{
    /// <summary>Protocol A: trained on the training split, epochs and weights chosen on the validation split.</summary>
    public const string ProtocolA = "A";

    /// <summary>Protocol B: protocol A's choices, trained again on train + validation (nothing held out to choose on).</summary>
    public const string ProtocolRefit = "refit";

    /// <summary>As indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ReportJson.Options) + "\n";

    /// <summary>Parses metrics.json; every field is required.</summary>
    /// <exception cref="JsonException">The text is not a complete metrics.json.</exception>
    public static RunMetrics Parse(string json) => ReportJson.Parse<RunMetrics>(json);

    /// <summary>Reads metrics.json.</summary>
    /// <exception cref="JsonException">The file is not a complete metrics.json.</exception>
    public static RunMetrics Read(string path) => Parse(File.ReadAllText(path));
}

/// <summary>How the reports are written: snake_case names, indented, NaN as "NaN" (a split with nothing to score still gets a report).</summary>
internal static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static T Parse<T>(string json)
        where T : class =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"null is not a {typeof(T).Name}");
}
