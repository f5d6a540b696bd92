using System.Diagnostics;
using AutoRec.Inference;
using AutoRec.Serving.Configuration;
using AutoRec.Serving.Models;
using AutoRec.Serving.Observability;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>/v1/movies: movies like a given one.</summary>
internal static class MovieEndpoints
{
    public static RouteGroupBuilder MapMovies(this RouteGroupBuilder v1)
    {
        v1.MapGet("/movies/{id}/similar", Similar)
            .WithName("SimilarMovies")
            .WithSummary("The movies most similar to a given one, by the cosine of the model's movie vectors")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return v1;
    }

    /// <param name="id">A movie the model scores.</param>
    /// <param name="n">How many (1 to 100, default 10).</param>
    /// <param name="offset">How many of the most similar to skip (default 0).</param>
    /// <param name="genres">Only movies with one of these genres (repeat the parameter for several).</param>
    /// <param name="models">The model being served.</param>
    /// <param name="options">The request limits.</param>
    /// <param name="metrics">Where the model's run time goes.</param>
    private static Results<Ok<SimilarMoviesResponse>, ProblemHttpResult> Similar(
        int id, int? n, int? offset, string[]? genres, ModelHolder models, IOptions<ServingOptions> options, ServingMetrics metrics)
    {
        using GenerationLease lease = models.Acquire();
        if (lease.Generation is not { } generation)
        {
            return Problems.NotReady();
        }

        if (RequestRules.CheckPage(n, offset, options.Value, out int count, out int skip) is { } badPage)
        {
            return badPage;
        }

        if (RequestRules.CheckGenres(genres, generation, out Func<int, bool>? filter) is { } badGenres)
        {
            return badGenres;
        }

        if (!generation.Recommender.ContainsMovie(id))
        {
            return Problems.UnknownMovie(id);
        }

        long start = Stopwatch.GetTimestamp();
        IReadOnlyList<SimilarMovie> similar = generation.Recommender.SimilarMovies(id, new RecommendationQuery { Count = count, Offset = skip, Filter = filter });
        metrics.ObserveRun(ModelOperation.Similar, start);
        return TypedResults.Ok(new SimilarMoviesResponse(id, generation.Version, [.. similar.Select(s => Scored.Similar(s.MovieId, s.Similarity, generation.Movies))]));
    }
}
