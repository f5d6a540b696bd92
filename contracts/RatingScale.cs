using System.Globalization;

namespace AutoRec.Contracts;

/// <summary>The values a rating may take: <see cref="Min"/> to <see cref="Max"/> in steps of <see cref="Step"/>.</summary>
public readonly record struct RatingScale(float Min, float Max, float Step)
{
    /// <summary>Whole stars from 1 to 5 (ml-100k, ml-1m).</summary>
    public static RatingScale WholeStars { get; } = new(1f, 5f, 1f);

    /// <summary>Half stars from 0.5 to 5 (ml-10m and later).</summary>
    public static RatingScale HalfStars { get; } = new(0.5f, 5f, 0.5f);

    /// <summary>Whether <paramref name="value"/> lies on this scale.</summary>
    public bool Contains(float value)
    {
        if (!(value >= Min && value <= Max))
        {
            return false;
        }

        float steps = (value - Min) / Step;
        return MathF.Abs(steps - MathF.Round(steps)) < 1e-4f;
    }

    private const string MinKey = ModelMetadataKeys.RatingMin;
    private const string MaxKey = ModelMetadataKeys.RatingMax;
    private const string StepKey = ModelMetadataKeys.RatingStep;

    /// <summary>This scale as key-value metadata (stored in the ratings Parquet files).</summary>
    public Dictionary<string, string> ToMetadata() => new()
    {
        [MinKey] = Min.ToString("R", CultureInfo.InvariantCulture),
        [MaxKey] = Max.ToString("R", CultureInfo.InvariantCulture),
        [StepKey] = Step.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>The scale stored by <see cref="ToMetadata"/>, or null when the metadata has none.</summary>
    public static RatingScale? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.TryGetValue(MinKey, out string? min) && metadata.TryGetValue(MaxKey, out string? max) && metadata.TryGetValue(StepKey, out string? step)
            && float.TryParse(min, NumberStyles.Float, CultureInfo.InvariantCulture, out float lo)
            && float.TryParse(max, NumberStyles.Float, CultureInfo.InvariantCulture, out float hi)
            && float.TryParse(step, NumberStyles.Float, CultureInfo.InvariantCulture, out float by)
            && lo < hi && by > 0
                ? new RatingScale(lo, hi, by)
                : null;
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Min}..{Max} in steps of {Step}");
}
