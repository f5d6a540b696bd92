using System.Text.Json;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Serving.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AutoRec.Serving.Api;

/// <summary>/v1/model: what is being served and how it was made.</summary>
internal static class ModelEndpoints
{
    public static RouteGroupBuilder MapModel(this RouteGroupBuilder v1)
    {
        v1.MapGet("/model", Describe)
            .WithName("Model")
            .WithSummary("The model being served: kind, dataset, version, test RMSE and gate, training run, split, blend members, last reload");
        v1.MapGet("/model/history", History)
            .WithName("ModelHistory")
            .WithSummary("The served model's learning curve (model/history.csv): one array per column, one entry per epoch")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static Results<Ok<ModelResponse>, ProblemHttpResult> Describe(ServedModel served, ReloadStatus reloads)
    {
        ModelGeneration generation = served.Generation;

        ValidationReport? validation = generation.Validation;
        RatingScale scale = generation.Scale;
        ModelCard card = generation.Card;
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
            validation?.Protocol,
            card.Blend?.Name ?? NameOf(card.Config),
            card.File,
            card.FileBytes,
            card.Config,
            card.Metrics is { } m ? new TrainingResponse(m.Parameters, m.BestEpoch, m.Epochs, m.TrainSeconds, Finite(m.ValidationRmse), m.TrainRmse, m.PeakRssMb) : null,
            card.Split is { } s ? SplitOf(s) : null,
            validation is null ? null : new GateResponse(validation.MaxTestRmse, validation.Passed, validation.Failures),
            card.Blend is { } b ? BlendOf(b) : null,
            reloads.Last is { } r ? new ReloadResponse(r.At, r.Loaded, r.Failure) : null,
            card.History is not null,
            [.. generation.Catalog.Genres]));
    }

    private static Results<Ok<LearningCurveResponse>, ProblemHttpResult> History(ServedModel served)
    {
        ModelGeneration generation = served.Generation;

        return generation.Card.History is { } history
            ? TypedResults.Ok(new LearningCurveResponse(generation.Version, history.Columns))
            : Problems.NotFound("No learning curve", "the model folder has no model/history.csv (a blend's members keep their own)");
    }

    private static string? NameOf(JsonElement? config) =>
        config is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static SplitResponse SplitOf(SplitSummary split) => new(
        split.Seed, split.TestFraction, split.ValidationFraction, split.Counts.Train, split.Counts.Validation, split.Counts.Test, split.Counts.Users, split.Counts.Movies);

    private static BlendResponse BlendOf(BlendManifest blend) => new(
        blend.Name, blend.Intercept, [.. blend.Members.Select(m => new BlendMemberResponse(m.Name, m.Model, m.Weight, m.Sha256))],
        blend.ValidationRatings, Finite(blend.ValidationRmse), blend.Support?.Terms.Count ?? 0);
}
