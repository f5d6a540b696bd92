using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AutoRec.Serving.Configuration;

/// <summary>The <c>Serving</c> section: where the service listens, who may call it, and how much one request may ask.</summary>
public sealed class ServingOptions : IValidatableObject
{
    public const string Section = "Serving";

    /// <summary>
    /// ASP.NET's address settings (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>DOTNET_URLS</c>, <c>--http_ports</c>,
    /// <c>ASPNETCORE_HTTP_PORTS</c>, <c>ASPNETCORE_HTTPS_PORTS</c>): when any is set, Kestrel binds those and
    /// <see cref="Host"/> and <see cref="Port"/> are not used.
    /// </summary>
    public static readonly string[] AspNetAddressKeys =
        [WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey];

    /// <summary>The address Kestrel binds unless ASP.NET's own address settings are given; loopback by default so that nothing outside the machine reaches it unless asked.</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port (0: any free port).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5080;

    /// <summary>When set, every <c>/v1</c> request must carry it in <c>X-Api-Key</c>; health, readiness and metrics stay open.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The largest request body accepted, in bytes (413 above).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The most results one request may ask for (<c>n</c>).</summary>
    [Range(1, 10_000)]
    public int MaxResults { get; set; } = 100;

    /// <summary>The largest <c>offset</c>: paging deeper than this is not a recommendation any more.</summary>
    [Range(0, 1_000_000)]
    public int MaxOffset { get; set; } = 1000;

    /// <summary>The most ratings a new user may send.</summary>
    [Range(1, 100_000)]
    public int MaxRatings { get; set; } = 500;

    /// <summary>The most movie ids in <c>exclude</c> or in a prediction request.</summary>
    [Range(1, 100_000)]
    public int MaxMovieIds { get; set; } = 1000;

    /// <summary>Requests run at once; more wait in the queue.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Requests that may wait for a slot; beyond it the service answers 503 at once rather than queueing without bound.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host != "localhost" && !IPAddress.TryParse(Host, out _))
        {
            yield return new ValidationResult($"Serving:Host must be an IP address or localhost, not '{Host}'", [nameof(Host)]);
        }
    }
}
