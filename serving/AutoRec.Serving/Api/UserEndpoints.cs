using System.Diagnostics;
using AutoRec.Inference;
using AutoRec.Serving.Configuration;
using AutoRec.Serving.Models;
using AutoRec.Serving.Observability;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>/v1/users: recommendations for the users the model was trained with, and their training ratings.</summary>
internal static class UserEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder v1)
    {
        v1.MapGet("/users/{id}/recommendations", Recommend)
            .WithName("RecommendForUser")
            .WithSummary("The best movies for a known user, leaving out those they rated")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/users/{id}/ratings", Ratings)
            .WithName("UserRatings")
            .WithSummary("A known user's training ratings, best first: what the model learnt them from")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <param name="id">A user id of the training data.</param>
    /// <param name="served">The model being served.</param>
    private static Results<Ok<UserRatingsResponse>, ProblemHttpResult> Ratings(int id, ServedModel served)
    {
        ModelGeneration generation = served.Generation;

        if (!generation.Recommender.ContainsUser(id))
        {
            return Problems.UnknownUser(id);
        }

        return TypedResults.Ok(new UserRatingsResponse(id, generation.Version, [.. generation.Ratings.Of(id).Select(r =>
        {
            MovieEntry entry = generation.Movies.Find(r.MovieId);
            return new UserRating(r.MovieId, entry.Title, entry.Genres, r.Rating);
        })]));
    }

    /// <param name="id">A user id of the training data.</param>
    /// <param name="n">How many (1 to 100, default 10).</param>
    /// <param name="offset">How many of the best to skip (default 0).</param>
    /// <param name="genres">Only movies with one of these genres (repeat the parameter for several).</param>
    /// <param name="served">The model being served.</param>
    /// <param name="options">The request limits.</param>
    /// <param name="metrics">Where the model's run time goes.</param>
    private static async Task<Results<Ok<RecommendationsResponse>, ProblemHttpResult>> Recommend(
        int id, int? n, int? offset, string[]? genres, ServedModel served, IOptions<ServingOptions> options, ServingMetrics metrics)
    {
        ModelGeneration generation = served.Generation;

        if (RequestRules.CheckPage(n, offset, options.Value, out int count, out int skip) is { } badPage)
        {
            return badPage;
        }

        if (RequestRules.CheckGenres(genres, generation, out Func<int, bool>? filter) is { } badGenres)
        {
            return badGenres;
        }

        IRecommender recommender = generation.Recommender;
        if (!recommender.ContainsUser(id))
        {
            return Problems.UnknownUser(id);
        }

        long start = Stopwatch.GetTimestamp();
        IReadOnlyList<RankedMovie> top = await generation.Answers.RecommendAsync(id, new RecommendationQuery { Count = count, Offset = skip, Filter = filter });
        metrics.ObserveRun(ModelOperation.RecommendUser, start);
        return TypedResults.Ok(new RecommendationsResponse(id, count, skip, generation.Version, [.. top.Select(r => Scored.Movie(r.MovieId, r.Score, generation.Movies))]));
    }
}
