using Microsoft.AspNetCore.Http.HttpResults;

namespace AutoRec.Serving.Api;

/// <summary>The RFC 7807 answers of the API, one title per kind of mistake so clients can tell them apart.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: extensions);

    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult UnknownUser(int userId) =>
        NotFound("Unknown user", $"user {userId} is not one of the users the model was trained with; send their ratings to POST /v1/recommendations instead");

    public static ProblemHttpResult UnknownMovie(int movieId) =>
        NotFound("Unknown movie", $"movie {movieId} is not one the model scores");

    public static ProblemHttpResult NotReady() =>
        TypedResults.Problem(
            "the model is still loading; retry shortly (GET /readyz answers 200 once it is ready)",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model not ready");

    public static ProblemHttpResult NotSupported(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status501NotImplemented, title: "Not supported by this model");

    public static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem(
            $"the request body is over the limit of {limit} bytes", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) =>
        TypedResults.Problem(
            $"the body must be JSON (Content-Type: application/json), not {contentType}", statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");

    public static ProblemHttpResult MalformedJson(string detail) => BadRequest("Malformed JSON", detail);

    /// <summary>What the library says is wrong, without .NET's "(Parameter 'x')" suffix, which names our code, not the request.</summary>
    public static string ReasonOf(ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : exception.Message;
}
