namespace AutoRec.Data;

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

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Min}..{Max} in steps of {Step}");
}
