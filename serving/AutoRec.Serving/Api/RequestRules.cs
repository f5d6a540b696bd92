using AutoRec.Serving.Configuration;
using AutoRec.Serving.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AutoRec.Serving.Api;

/// <summary>
/// Checks what a client sends against the limits and the model being served, so that every mistake is a 400 that
/// says what is wrong, before the recommender sees it. Each check answers null when the input is fine.
/// </summary>
internal static class RequestRules
{
    /// <summary>How many ids a problem lists at most: enough to fix the request, not a copy of it.</summary>
    private const int ListedIds = 20;

    public const int DefaultCount = 10;

    public static ProblemHttpResult? CheckPage(int? n, int? offset, ServingOptions limits, out int count, out int skip)
    {
        count = n ?? DefaultCount;
        skip = offset ?? 0;
        if (count < 1 || count > limits.MaxResults)
        {
            return Problems.BadRequest("n out of range", $"n is {count}; it must be between 1 and {limits.MaxResults}");
        }

        return skip < 0 || skip > limits.MaxOffset
            ? Problems.BadRequest("offset out of range", $"offset is {skip}; it must be between 0 and {limits.MaxOffset}")
            : null;
    }

    /// <summary>A user's ratings: present, not too many, every movie scored by the model, every value on the scale.</summary>
    public static ProblemHttpResult? CheckRatings(Dictionary<int, float>? ratings, ModelGeneration generation, ServingOptions limits)
    {
        if (ratings is null)
        {
            return Problems.BadRequest("Missing ratings", "ratings is required: an object of movie id to rating, e.g. {\"1\": 5, \"50\": 4}");
        }

        if (ratings.Count > limits.MaxRatings)
        {
            return Problems.BadRequest("Too many ratings", $"{ratings.Count} ratings were sent; at most {limits.MaxRatings} are accepted");
        }

        if (UnknownMovies(ratings.Keys, generation, "ratings") is { } unknown)
        {
            return unknown;
        }

        int[] offScale = ratings.Where(r => !generation.IsOnScale(r.Value)).Select(r => r.Key).Order().ToArray();
        return offScale.Length == 0
            ? null
            : Problems.BadRequest(
                "Rating off the scale",
                $"{offScale.Length} rating(s) are not on the scale {generation.Scale.Min} to {generation.Scale.Max}" +
                (generation.Scale.Step > 0 ? $" in steps of {generation.Scale.Step}" : string.Empty),
                new Dictionary<string, object?> { ["movieIds"] = offScale.Take(ListedIds).ToArray() });
    }

    /// <summary>Movies to predict: at least one, not too many, all scored by the model.</summary>
    public static ProblemHttpResult? CheckMovieIds(int[]? movieIds, ModelGeneration generation, ServingOptions limits)
    {
        if (movieIds is null || movieIds.Length == 0)
        {
            return Problems.BadRequest("Missing movieIds", "movieIds is required: the movies to predict, e.g. [1, 50]");
        }

        return movieIds.Length > limits.MaxMovieIds
            ? Problems.BadRequest("Too many movie ids", $"{movieIds.Length} movie ids were sent; at most {limits.MaxMovieIds} are accepted")
            : UnknownMovies(movieIds, generation, "movieIds");
    }

    /// <summary>
    /// Movies to leave out: any movie of the catalog or the model. Leaving out one the model does not score changes
    /// nothing, so only the scored ones are passed on (the library refuses the others).
    /// </summary>
    public static ProblemHttpResult? CheckExclude(int[]? exclude, ModelGeneration generation, ServingOptions limits, out IReadOnlyCollection<int>? scored)
    {
        scored = null;
        if (exclude is null || exclude.Length == 0)
        {
            return null;
        }

        if (exclude.Length > limits.MaxMovieIds)
        {
            return Problems.BadRequest("Too many movie ids", $"exclude has {exclude.Length} movie ids; at most {limits.MaxMovieIds} are accepted");
        }

        int[] unknown = exclude.Where(id => !generation.Movies.Contains(id) && !generation.Recommender.ContainsMovie(id)).Distinct().Order().ToArray();
        scored = exclude.Where(generation.Recommender.ContainsMovie).ToArray();
        return unknown.Length == 0 ? null : UnknownMoviesProblem(unknown, "exclude", "movies of the catalog");
    }

    /// <summary>
    /// Movies to choose among (e.g. the movies a user rated, to say which of them a recommendation is most like): none
    /// means every movie; else not too many, all scored by the model.
    /// </summary>
    public static ProblemHttpResult? CheckAmong(int[]? among, ModelGeneration generation, ServingOptions limits, out Func<int, bool>? filter)
    {
        filter = null;
        if (among is null || among.Length == 0)
        {
            return null;
        }

        if (among.Length > limits.MaxMovieIds)
        {
            return Problems.BadRequest("Too many movie ids", $"among has {among.Length} movie ids; at most {limits.MaxMovieIds} are accepted");
        }

        var allowed = new HashSet<int>(among);
        filter = allowed.Contains;
        return UnknownMovies(among, generation, "among");
    }

    /// <summary>Genres to keep (any case); a name the catalog does not have is a mistake, not an empty answer.</summary>
    public static ProblemHttpResult? CheckGenres(string[]? genres, ModelGeneration generation, out Func<int, bool>? filter)
    {
        filter = null;
        if (genres is null || genres.Length == 0)
        {
            return null;
        }

        try
        {
            filter = generation.Catalog.GenreFilter(genres);
            return null;
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest("Unknown genre", Problems.ReasonOf(e), new Dictionary<string, object?> { ["genres"] = generation.Catalog.Genres.ToArray() });
        }
    }

    private static ProblemHttpResult? UnknownMovies(IEnumerable<int> movieIds, ModelGeneration generation, string field)
    {
        int[] unknown = movieIds.Where(id => !generation.Recommender.ContainsMovie(id)).Distinct().Order().ToArray();
        return unknown.Length == 0 ? null : UnknownMoviesProblem(unknown, field, "movies the model scores");
    }

    private static ProblemHttpResult UnknownMoviesProblem(int[] unknown, string field, string known) =>
        Problems.BadRequest(
            "Unknown movie ids",
            $"{unknown.Length} movie id(s) in {field} are not {known}: " +
            $"{string.Join(", ", unknown.Take(ListedIds))}{(unknown.Length > ListedIds ? ", ..." : string.Empty)}",
            new Dictionary<string, object?> { ["movieIds"] = unknown.Take(ListedIds).ToArray() });
}
