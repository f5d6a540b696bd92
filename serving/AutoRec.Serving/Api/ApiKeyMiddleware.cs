using System.Security.Cryptography;
using System.Text;
using AutoRec.Serving.Configuration;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>
/// When <see cref="ServingOptions.ApiKey"/> is set, refuses <c>/v1</c> requests without it in <c>X-Api-Key</c>
/// (401, problem+json). Health, readiness, metrics and the OpenAPI document stay open for probes and scrapers.
/// Runs before the request queue so that refused callers take no slot.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ServingOptions> options, IProblemDetailsService problems)
{
    public const string Header = "X-Api-Key";

    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.ApiKey) ? null : Encoding.UTF8.GetBytes(options.Value.ApiKey);

    public Task InvokeAsync(HttpContext context)
    {
        if (_key is null || !context.Request.Path.StartsWithSegments("/v1") || Matches(context.Request.Headers[Header]))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Missing or wrong API key",
                Detail = $"send the service's API key in the {Header} header",
            },
        }).AsTask();
    }

    private bool Matches(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key);
}
