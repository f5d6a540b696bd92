using System.Text.Json.Serialization;
using System.Text.Json;

namespace AutoRec.Data;

/// <summary>The contents of <c>split.json</c>: how a split was made and what it holds.</summary>
public sealed record SplitSummary(
    [property: JsonPropertyName("seed")] long Seed,
    [property: JsonPropertyName("test_fraction")] double TestFraction,
    [property: JsonPropertyName("validation_fraction")] double ValidationFraction,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("counts")] SplitCounts Counts)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Describes <paramref name="split"/> made with <paramref name="options"/> as indented JSON.</summary>
    public static string ToJson(SplitOptions options, RatingSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return ToJson(options, new RatingColumnSplit(RatingColumns.From(split.Train), RatingColumns.From(split.Validation), RatingColumns.From(split.Test)));
    }

    /// <summary>Describes <paramref name="split"/> made with <paramref name="options"/> as indented JSON.</summary>
    public static string ToJson(SplitOptions options, RatingColumnSplit split)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(split);
        RatingColumns[] parts = [split.Train, split.Validation, split.Test];
        var summary = new SplitSummary(
            options.Seed, options.TestFraction, options.ValidationFraction,
            "per-user stratified, SplitMix64 seeded by (seed, user id); every user keeps at least one train rating",
            new SplitCounts(
                split.Train.Count, split.Validation.Count, split.Test.Count,
                DistinctIds.Count(parts.Select(p => p.UserIds)), DistinctIds.Count(parts.Select(p => p.MovieIds))));
        return summary.ToJson();
    }

    /// <summary>
    /// The split a refit (protocol B) trains on: this split's validation ratings moved into train, none held out for
    /// validation, the same test ratings.
    /// </summary>
    public SplitSummary ForRefit() => this with
    {
        Method = $"protocol B (refit): train holds the train and validation ratings of this split, validation none; {Method}",
        Counts = Counts with { Train = Counts.Train + Counts.Validation, Validation = 0 },
    };

    /// <summary>As indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>Reads a <c>split.json</c> file.</summary>
    public static SplitSummary Read(string path) =>
        JsonSerializer.Deserialize<SplitSummary>(File.ReadAllText(path))
        ?? throw new DataFormatException(DataErrorCodes.BadField, path, 0, "split.json is empty");
}

/// <summary>Row counts of a split.</summary>
public sealed record SplitCounts(
    [property: JsonPropertyName("train")] int Train,
    [property: JsonPropertyName("validation")] int Validation,
    [property: JsonPropertyName("test")] int Test,
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("movies")] int Movies);
