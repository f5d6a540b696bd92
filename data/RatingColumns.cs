using AutoRec.Contracts;

namespace AutoRec.Data;

/// <summary>
/// Ratings as four parallel columns, the layout of the Parquet files. At MovieLens-20M scale this avoids an array of
/// <see cref="Rating"/> records beside the columns: the readers parse into it, the split works on it and the writers
/// hand its arrays to Parquet as they are.
/// </summary>
public sealed class RatingColumns
{
    /// <summary>Wraps four columns of equal length (not copied).</summary>
    /// <exception cref="ArgumentException">The columns differ in length.</exception>
    public RatingColumns(int[] userIds, int[] movieIds, float[] values, long[] timestamps)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(movieIds);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(timestamps);
        if (movieIds.Length != userIds.Length || values.Length != userIds.Length || timestamps.Length != userIds.Length)
        {
            throw new ArgumentException(
                $"columns differ in length: {userIds.Length} users, {movieIds.Length} movies, {values.Length} values, {timestamps.Length} timestamps");
        }

        UserIds = userIds;
        MovieIds = movieIds;
        Values = values;
        Timestamps = timestamps;
    }

    /// <summary>Empty columns of <paramref name="count"/> rows, to be filled.</summary>
    public RatingColumns(int count)
        : this(new int[count], new int[count], new float[count], new long[count])
    {
    }

    /// <summary>The user of each row.</summary>
    public int[] UserIds { get; }

    /// <summary>The movie of each row.</summary>
    public int[] MovieIds { get; }

    /// <summary>The rating of each row.</summary>
    public float[] Values { get; }

    /// <summary>The Unix time of each row.</summary>
    public long[] Timestamps { get; }

    /// <summary>The number of rows.</summary>
    public int Count => UserIds.Length;

    /// <summary>Row <paramref name="index"/> as a record.</summary>
    public Rating this[int index] => new(UserIds[index], MovieIds[index], Values[index], Timestamps[index]);

    /// <summary>Copies records into columns.</summary>
    public static RatingColumns From(ReadOnlySpan<Rating> ratings)
    {
        var columns = new RatingColumns(ratings.Length);
        for (int i = 0; i < ratings.Length; i++)
        {
            Rating r = ratings[i];
            columns.UserIds[i] = r.UserId;
            columns.MovieIds[i] = r.MovieId;
            columns.Values[i] = r.Value;
            columns.Timestamps[i] = r.Timestamp;
        }

        return columns;
    }

    /// <summary>Copies the rows into records.</summary>
    public Rating[] ToRatings()
    {
        var ratings = new Rating[Count];
        for (int i = 0; i < ratings.Length; i++)
        {
            ratings[i] = this[i];
        }

        return ratings;
    }
}
