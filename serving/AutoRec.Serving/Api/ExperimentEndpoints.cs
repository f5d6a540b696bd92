using System.Text.Json;
using AutoRec.Serving.Experiments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AutoRec.Serving.Api;

/// <summary>
/// /v1/experiments: the experiment suites' committed results (runs, their configs, metrics and learning curves, the
/// seed report's figures beside them) and figures. Read-only: they are what <c>autorec-train experiment</c> wrote.
/// </summary>
internal static class ExperimentEndpoints
{
    public static RouteGroupBuilder MapExperiments(this RouteGroupBuilder v1)
    {
        v1.MapGet("/experiments", List)
            .WithName("Experiments")
            .WithSummary("The experiment suites with committed results, summed up");
        v1.MapGet("/experiments/{suite}", Suite)
            .WithName("Experiment")
            .WithSummary("One suite's results file as the experiment runner wrote it: every run's config, test and validation RMSEs, the seed's figures, learning curves")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        v1.MapGet("/experiments/{suite}/figure", Figure)
            .WithName("ExperimentFigure")
            .WithSummary("One suite's figure (PNG)")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static Results<Ok<ExperimentsResponse>, ProblemHttpResult> List(ExperimentResults results, HttpContext context)
    {
        var suites = new List<ExperimentSummary>();
        foreach (string suite in results.Suites())
        {
            try
            {
                using JsonDocument? document = results.Read(suite);
                if (document is not null)
                {
                    suites.Add(Summary(suite, document.RootElement, results.FigurePath(suite) is null ? null : $"{context.Request.PathBase}/v1/experiments/{suite}/figure"));
                }
            }
            catch (JsonException e)
            {
                return Unreadable(e);
            }
        }

        return TypedResults.Ok(new ExperimentsResponse(suites));
    }

    /// <param name="suite">A suite's name, as GET /v1/experiments lists it.</param>
    /// <param name="results">The committed results.</param>
    private static Results<Ok<JsonElement>, ProblemHttpResult> Suite(string suite, ExperimentResults results)
    {
        try
        {
            using JsonDocument? document = results.Read(suite);
            return document is null ? UnknownSuite(suite) : TypedResults.Ok(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            return Unreadable(e);
        }
    }

    /// <param name="suite">A suite's name.</param>
    /// <param name="results">The committed results.</param>
    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Figure(string suite, ExperimentResults results) =>
        results.FigurePath(suite) is { } path ? TypedResults.PhysicalFile(path, "image/png") : Problems.NotFound("No figure", $"suite '{suite}' has no figure");

    private static ProblemHttpResult UnknownSuite(string suite) =>
        Problems.NotFound("Unknown experiment suite", $"there are no results for suite '{suite}'; GET /v1/experiments lists those there are");

    private static ProblemHttpResult Unreadable(JsonException e) =>
        TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "Unreadable results file");

    private static ExperimentSummary Summary(string suite, JsonElement root, string? figure)
    {
        JsonElement[] runs = root.TryGetProperty("runs", out JsonElement r) && r.ValueKind == JsonValueKind.Array ? [.. r.EnumerateArray()] : [];
        double[] test = [.. runs.Select(run => Number(run, "test_rmse")).OfType<double>().Where(v => v > 0)];
        return new ExperimentSummary(
            suite, Text(root, "title"), Text(root, "seed_section"), Text(root, "machine"), Text(root, "finished"), Text(root, "split"), Number(root, "seconds"),
            runs.Length, test.Length == 0 ? null : test.Min(), figure);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
