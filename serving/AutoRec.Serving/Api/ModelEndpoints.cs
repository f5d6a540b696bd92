using AutoRec.Contracts;
using AutoRec.Serving.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AutoRec.Serving.Api;

/// <summary>/v1/model: what is being served.</summary>
internal static class ModelEndpoints
{
    public static RouteGroupBuilder MapModel(this RouteGroupBuilder v1)
    {
        v1.MapGet("/model", Describe)
            .WithName("Model")
            .WithSummary("The model being served: kind, dataset, version, test RMSE, when it was loaded")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return v1;
    }

    private static Results<Ok<ModelResponse>, ProblemHttpResult> Describe(ModelHolder models)
    {
        using GenerationLease lease = models.Acquire();
        if (lease.Generation is not { } generation)
        {
            return Problems.NotReady();
        }

        ValidationReport? validation = generation.Validation;
        RatingScale scale = generation.Scale;
        return TypedResults.Ok(new ModelResponse(
            generation.Kind.Name(),
            generation.Dataset,
            generation.Version,
            validation?.TestRmse,
            validation?.TestRmseUserMean,
            generation.LoadedAt,
            generation.Recommender.UserIds.Count,
            generation.Recommender.MovieIds.Count,
            new RatingScaleResponse(scale.Min, scale.Max, scale.Step),
            generation.Recommender.CanRecommendForRatings,
            validation?.Protocol));
    }
}
