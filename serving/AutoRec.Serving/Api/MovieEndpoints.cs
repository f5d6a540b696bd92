using System.Diagnostics;
using AutoRec.Inference;
using AutoRec.Serving.Configuration;
using AutoRec.Serving.Models;
using AutoRec.Serving.Observability;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>/v1/movies: the catalog the model scores, one movie, and movies like a given one.</summary>
internal static class MovieEndpoints
{
    /// <summary>The most users a movie's predicted-rating distribution is taken over (an even sample beyond).</summary>
    internal const int PredictedUsers = 500;

    public static RouteGroupBuilder MapMovies(this RouteGroupBuilder v1)
    {
        v1.MapGet("/movies", Search)
            .WithName("SearchMovies")
            .WithSummary("Movies the model scores whose title holds every word of q (any case, accents ignored), title-prefix matches first, then the most rated")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        v1.MapGet("/movies/{id}", Describe)
            .WithName("Movie")
            .WithSummary("One movie: title, year, genres, its training ratings and their spread, and the model's predicted ratings of it over its users")
            .ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/movies/{id}/similar", Similar)
            .WithName("SimilarMovies")
            .WithSummary("The movies most similar to a given one, by the cosine of the model's movie vectors")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <param name="q">Words of the title (none: every movie, most rated first).</param>
    /// <param name="n">How many (1 to 100, default 10).</param>
    /// <param name="offset">How many better matches to skip (default 0).</param>
    /// <param name="genres">Only movies with one of these genres (repeat the parameter for several).</param>
    /// <param name="served">The model being served.</param>
    /// <param name="options">The request limits.</param>
    private static Results<Ok<MovieSearchResponse>, ProblemHttpResult> Search(
        string? q, int? n, int? offset, string[]? genres, ServedModel served, IOptions<ServingOptions> options)
    {
        ModelGeneration generation = served.Generation;

        if (RequestRules.CheckPage(n, offset, options.Value, out int count, out int skip) is { } badPage)
        {
            return badPage;
        }

        if (q is { Length: > 200 })
        {
            return Problems.BadRequest("Query too long", $"q has {q.Length} characters; at most 200 are accepted");
        }

        if (RequestRules.CheckGenres(genres, generation, out Func<int, bool>? filter) is { } badGenres)
        {
            return badGenres;
        }

        IEnumerable<int> candidates = filter is null ? generation.Recommender.MovieIds : generation.Recommender.MovieIds.Where(filter);
        int[] found = [.. generation.Movies.Search(q, candidates, generation.Ratings.CountOf)];
        string? query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        return TypedResults.Ok(new MovieSearchResponse(query, found.Length, count, skip, [.. found.Skip(skip).Take(count).Select(id => Summary(id, generation))]));
    }

    /// <param name="id">A movie the model scores.</param>
    /// <param name="served">The model being served.</param>
    /// <param name="metrics">Where the model's run time goes.</param>
    private static Results<Ok<MovieResponse>, ProblemHttpResult> Describe(int id, ServedModel served, ServingMetrics metrics)
    {
        ModelGeneration generation = served.Generation;

        if (!generation.Recommender.ContainsMovie(id))
        {
            return Problems.UnknownMovie(id);
        }

        MovieEntry entry = generation.Movies.Find(id);
        var bins = RatingBins.Of(generation.Scale);
        MovieRatings? seen = generation.Ratings.OfMovie(id);
        long start = Stopwatch.GetTimestamp();
        PredictedRatings predicted = PredictedOver(id, generation, bins);
        metrics.ObserveRun(ModelOperation.PredictMovie, start);
        return TypedResults.Ok(new MovieResponse(
            id, entry.Title, entry.Year, entry.Genres, seen?.Count ?? 0, seen?.Mean, CountsOf(seen?.Histogram ?? new int[bins.Count], bins), predicted, generation.Version));
    }

    /// <param name="id">A movie the model scores.</param>
    /// <param name="n">How many (1 to 100, default 10).</param>
    /// <param name="offset">How many of the most similar to skip (default 0).</param>
    /// <param name="genres">Only movies with one of these genres (repeat the parameter for several).</param>
    /// <param name="among">Only these movies (repeat the parameter): e.g. the movies a user rated, to tell which of them a recommendation is most like.</param>
    /// <param name="served">The model being served.</param>
    /// <param name="options">The request limits.</param>
    /// <param name="metrics">Where the model's run time goes.</param>
    private static Results<Ok<SimilarMoviesResponse>, ProblemHttpResult> Similar(
        int id, int? n, int? offset, string[]? genres, int[]? among, ServedModel served, IOptions<ServingOptions> options, ServingMetrics metrics)
    {
        ModelGeneration generation = served.Generation;

        if (RequestRules.CheckPage(n, offset, options.Value, out int count, out int skip) is { } badPage)
        {
            return badPage;
        }

        if (RequestRules.CheckGenres(genres, generation, out Func<int, bool>? genreFilter) is { } badGenres)
        {
            return badGenres;
        }

        if (RequestRules.CheckAmong(among, generation, options.Value, out Func<int, bool>? amongFilter) is { } badAmong)
        {
            return badAmong;
        }

        if (!generation.Recommender.ContainsMovie(id))
        {
            return Problems.UnknownMovie(id);
        }

        Func<int, bool>? filter = (genreFilter, amongFilter) switch
        {
            (null, var a) => a,
            (var g, null) => g,
            var (g, a) => movie => g(movie) && a(movie),
        };
        long start = Stopwatch.GetTimestamp();
        IReadOnlyList<SimilarMovie> similar = generation.Recommender.SimilarMovies(id, new RecommendationQuery { Count = count, Offset = skip, Filter = filter });
        metrics.ObserveRun(ModelOperation.Similar, start);
        return TypedResults.Ok(new SimilarMoviesResponse(id, generation.Version, [.. similar.Select(s => Scored.Similar(s.MovieId, s.Similarity, generation.Movies))]));
    }

    private static MovieSummary Summary(int movieId, ModelGeneration generation)
    {
        MovieEntry entry = generation.Movies.Find(movieId);
        return new MovieSummary(movieId, entry.Title, entry.Year, entry.Genres, generation.Ratings.CountOf(movieId));
    }

    /// <summary>The model's predictions of the movie for its users: all of them up to <see cref="PredictedUsers"/>, an even sample beyond.</summary>
    private static PredictedRatings PredictedOver(int movieId, ModelGeneration generation, RatingBins bins)
    {
        IReadOnlyList<int> users = generation.Recommender.UserIds;
        int sampled = Math.Min(users.Count, PredictedUsers);
        var histogram = new int[bins.Count];
        double sum = 0;
        for (int i = 0; i < sampled; i++)
        {
            float prediction = generation.Recommender.Predict(users[(int)((long)i * users.Count / sampled)], movieId);
            histogram[bins.IndexOf(prediction)]++;
            sum += prediction;
        }

        return new PredictedRatings(sampled, users.Count, sampled == 0 ? null : sum / sampled, CountsOf(histogram, bins));
    }

    private static RatingCount[] CountsOf(int[] histogram, RatingBins bins) => [.. histogram.Select((count, bin) => new RatingCount(bins.ValueOf(bin), count))];
}
