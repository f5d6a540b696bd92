using System.Threading.RateLimiting;
using AutoRec.Serving.Configuration;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>
/// The bounded request queue in front of <c>/v1</c>: <see cref="ServingOptions.MaxConcurrentRequests"/> run,
/// <see cref="ServingOptions.QueueLimit"/> wait in order, and any more are answered 503 at once, so overload costs
/// callers a retry instead of the service its memory and every caller their latency.
/// </summary>
internal static class RequestQueue
{
    public const string Policy = "queue";

    public static IServiceCollection AddRequestQueue(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
        limiter.OnRejected = async (context, cancellationToken) =>
        {
            HttpContext http = context.HttpContext;
            http.Response.Headers.RetryAfter = "1";
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Server busy",
                    Detail = "the request queue is full; retry shortly",
                },
            });
        };

        // One partition: the limits are the whole service's, whoever calls.
        limiter.AddPolicy(Policy, context =>
        {
            ServingOptions options = context.RequestServices.GetRequiredService<IOptions<ServingOptions>>().Value;
            return RateLimitPartition.GetConcurrencyLimiter(string.Empty, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = options.MaxConcurrentRequests,
                QueueLimit = options.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        });
    });
}
