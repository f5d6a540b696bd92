namespace AutoRec.Benchmarks.Synthetic;

/// <summary>The shape of a synthetic MovieLens dataset; the defaults are ml-20m's (138,493 users, 26,744 movies, 20,000,263 ratings, rounded).</summary>
internal sealed record SynthOptions(int Users = 138_000, int Movies = 27_000, long Ratings = 20_000_000, ulong Seed = 1)
{
    /// <summary>MovieLens keeps only users with at least 20 ratings.</summary>
    public const int MinRatingsPerUser = 20;

    /// <summary>ml-20m's most active user rated 9,254 of 26,744 movies: about 35%.</summary>
    public const double MaxShareOfMoviesPerUser = 0.35;

    /// <summary>The most ratings one user gets.</summary>
    public int MaxRatingsPerUser =>
        Ratings > (long)Users * (int)(Movies * MaxShareOfMoviesPerUser) ? Movies : Math.Max(MinRatingsPerUser, (int)(Movies * MaxShareOfMoviesPerUser));

    /// <summary>Throws when the shape cannot be made (too few movies or ratings for 20 per user, more than every pair).</summary>
    public void Validate()
    {
        if (Users < 1 || Movies < MinRatingsPerUser)
        {
            throw new ArgumentException($"need at least 1 user and {MinRatingsPerUser} movies (got {Users:N0} users, {Movies:N0} movies)");
        }

        if (Ratings < (long)Users * MinRatingsPerUser || Ratings > (long)Users * Movies || Ratings > int.MaxValue)
        {
            throw new ArgumentException(
                $"ratings must lie in [{(long)Users * MinRatingsPerUser:N0}, {Math.Min((long)Users * Movies, int.MaxValue):N0}] for {Users:N0} users and {Movies:N0} movies (got {Ratings:N0})");
        }
    }
}
