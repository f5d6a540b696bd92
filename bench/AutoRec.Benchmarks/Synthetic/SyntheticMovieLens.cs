using System.Diagnostics;

namespace AutoRec.Benchmarks.Synthetic;

/// <summary>What <see cref="SyntheticMovieLens.Write"/> made.</summary>
internal sealed record SynthSummary(int Users, int Movies, long Ratings, int MinPerUser, int MedianPerUser, int MaxPerUser, double Seconds);

/// <summary>
/// A MovieLens-shaped dataset in the ml-20m CSV layout (<c>ratings.csv</c>, <c>movies.csv</c>) for measuring the
/// pipeline at scale, since the real files are not available offline: skewed user activity and movie popularity,
/// at least 20 ratings per user, no repeated (user, movie) pair, half-star ratings with user, movie and latent
/// effects, ml-20m's time range. The same options give the same bytes.
/// </summary>
internal static class SyntheticMovieLens
{
    /// <summary>Writes the two files into <paramref name="directory"/>, each under a temporary name first, so an interrupted run leaves no half file.</summary>
    public static SynthSummary Write(string directory, SynthOptions options)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        SynthMovies movies = SynthMovies.Create(options);
        int[] countsById = CountsById(options);

        string ratings = Path.Combine(directory, "ratings.csv");
        string moviesFile = Path.Combine(directory, "movies.csv");
        RatingsCsv.Write(ratings + ".partial", countsById, movies, options.Seed);
        MoviesCsv.Write(moviesFile + ".partial", movies, options.Seed);
        File.Move(ratings + ".partial", ratings, overwrite: true);
        File.Move(moviesFile + ".partial", moviesFile, overwrite: true);

        int[] sorted = [.. countsById];
        Array.Sort(sorted);
        return new SynthSummary(
            options.Users, options.Movies, options.Ratings, sorted[0], sorted[sorted.Length / 2], sorted[^1], clock.Elapsed.TotalSeconds);
    }

    /// <summary>Each user's rating count by id - 1: the activity ranks are shuffled over the ids.</summary>
    public static int[] CountsById(SynthOptions options)
    {
        int[] byRank = UserActivity.CountsByRank(options);
        var random = SynthRandom.For(options.Seed, SynthStreams.UserRanks);
        int[] rankOf = SynthStreams.Permutation(options.Users, ref random);
        var counts = new int[options.Users];
        for (int u = 0; u < counts.Length; u++)
        {
            counts[u] = byRank[rankOf[u]];
        }

        return counts;
    }
}
