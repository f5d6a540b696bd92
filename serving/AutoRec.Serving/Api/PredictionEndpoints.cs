using System.Diagnostics;
using AutoRec.Serving.Configuration;
using AutoRec.Serving.Models;
using AutoRec.Serving.Observability;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>/v1/predictions: predicted ratings of given movies.</summary>
internal static class PredictionEndpoints
{
    public static RouteGroupBuilder MapPredictions(this RouteGroupBuilder v1)
    {
        v1.MapPost("/predictions", Predict)
            .WithName("Predict")
            .WithSummary("Predicted ratings of given movies for a known user (userId) or anyone (ratings)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        return v1;
    }

    private static async Task<Results<Ok<PredictionsResponse>, ProblemHttpResult>> Predict(
        JsonRequest<PredictionRequest> request, ServedModel served, IOptions<ServingOptions> options, ServingMetrics metrics)
    {
        ServingOptions limits = options.Value;
        PredictionRequest body = request.Body;

        ModelGeneration generation = served.Generation;

        if (RequestRules.CheckMovieIds(body.MovieIds, generation, limits) is { } badMovies)
        {
            return badMovies;
        }

        if ((body.UserId is null) == (body.Ratings is null))
        {
            return Problems.BadRequest("User or ratings", "give exactly one of userId (a known user) and ratings (anyone's ratings by movie id)");
        }

        if (body.UserId is not int userId)
        {
            if (RequestRules.CheckRatings(body.Ratings, generation, limits) is { } badRatings)
            {
                return badRatings;
            }

            if (!generation.Recommender.CanRecommendForRatings)
            {
                return Problems.NotSupported(RecommendationEndpoints.NewUsersUnsupported(generation));
            }

            long start = Stopwatch.GetTimestamp();
            try
            {
                float[] predicted = await generation.Answers.PredictAsync(body.Ratings!, body.MovieIds!);
                metrics.ObserveRun(ModelOperation.PredictRatings, start);
                return TypedResults.Ok(new PredictionsResponse(
                    null, generation.Version, [.. body.MovieIds!.Select((id, i) => Scored.Movie(id, predicted[i], generation.Movies))]));
            }
            catch (NotSupportedException e)
            {
                return Problems.NotSupported(e.Message);
            }
            catch (ArgumentException e)
            {
                return Problems.BadRequest("Invalid ratings", Problems.ReasonOf(e));
            }
        }

        if (!generation.Recommender.ContainsUser(userId))
        {
            return Problems.BadRequest("Unknown user", $"user {userId} is not one of the users the model was trained with; send their ratings instead");
        }

        // A known user: one row of predictions for every movie, then the movies asked for.
        long started = Stopwatch.GetTimestamp();
        float[] scores = await generation.Answers.PredictAsync(userId);
        metrics.ObserveRun(ModelOperation.PredictUser, started);
        var predictions = new ScoredMovie[body.MovieIds!.Length];
        for (int i = 0; i < predictions.Length; i++)
        {
            int movieId = body.MovieIds[i];
            generation.TryGetMovieIndex(movieId, out int index); // every id was checked against the recommender's movies
            predictions[i] = Scored.Movie(movieId, scores[index], generation.Movies);
        }

        return TypedResults.Ok(new PredictionsResponse(userId, generation.Version, predictions));
    }
}
