using System.Diagnostics;
using AutoRec.Contracts;
using AutoRec.Inference;
using AutoRec.Serving.Configuration;
using AutoRec.Serving.Models;
using AutoRec.Serving.Observability;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>/v1/recommendations: recommendations for anyone, from the ratings they send.</summary>
internal static class RecommendationEndpoints
{
    public static RouteGroupBuilder MapRecommendations(this RouteGroupBuilder v1)
    {
        v1.MapPost("/recommendations", Recommend)
            .WithName("RecommendForRatings")
            .WithSummary("The best movies for a user given by their ratings, leaving out the rated and excluded ones")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        return v1;
    }

    private static async Task<Results<Ok<RecommendationsResponse>, ProblemHttpResult>> Recommend(
        JsonRequest<RatingsRecommendationRequest> request, ServedModel served, IOptions<ServingOptions> options, ServingMetrics metrics)
    {
        ServingOptions limits = options.Value;
        RatingsRecommendationRequest body = request.Body;

        ModelGeneration generation = served.Generation;

        if (RequestRules.CheckPage(body.N, body.Offset, limits, out int count, out int skip) is { } badPage)
        {
            return badPage;
        }

        if (RequestRules.CheckRatings(body.Ratings, generation, limits) is { } badRatings)
        {
            return badRatings;
        }

        if (RequestRules.CheckExclude(body.Exclude, generation, limits, out IReadOnlyCollection<int>? excluded) is { } badExclude)
        {
            return badExclude;
        }

        if (RequestRules.CheckGenres(body.Genres, generation, out Func<int, bool>? filter) is { } badGenres)
        {
            return badGenres;
        }

        IRecommender recommender = generation.Recommender;
        if (!recommender.CanRecommendForRatings)
        {
            return Problems.NotSupported(NewUsersUnsupported(generation));
        }

        var query = new RecommendationQuery { Count = count, Offset = skip, Exclude = excluded, Filter = filter };
        long start = Stopwatch.GetTimestamp();
        try
        {
            IReadOnlyList<RankedMovie> top = await generation.Answers.RecommendAsync(body.Ratings!, query);
            metrics.ObserveRun(ModelOperation.RecommendRatings, start);
            return TypedResults.Ok(new RecommendationsResponse(
                null, count, skip, generation.Version, [.. top.Select(r => Scored.Movie(r.MovieId, r.Score, generation.Movies))]));
        }
        catch (NotSupportedException e)
        {
            return Problems.NotSupported(e.Message);
        }
        catch (ArgumentException e)
        {
            // Everything the library refuses was checked above; should a rule differ, the client still hears why.
            return Problems.BadRequest("Invalid ratings", Problems.ReasonOf(e));
        }
    }

    internal static string NewUsersUnsupported(ModelGeneration generation) =>
        $"this {generation.Kind.Name()} model answers only the users it was trained with (GET /v1/users/{{id}}/recommendations): " +
        "new users need a user-based model or an item-based one with a linear output layer";
}
