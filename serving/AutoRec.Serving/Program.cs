using System.Net;
using AutoRec.Serving.Api;
using AutoRec.Serving.Configuration;
using AutoRec.Serving.Experiments;
using AutoRec.Serving.Models;
using AutoRec.Serving.Observability;
using AutoRec.Serving.Web;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddShippedSettings();

builder.Services.AddServingOptions();
builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServingOptions>, IConfiguration>((kestrel, serving, configuration) =>
{
    ServingOptions options = serving.Value;
    kestrel.AddServerHeader = false;
    // The API answers 413 itself at MaxRequestBodyBytes; Kestrel's own limit, further out, lets it read and drop the
    // rest of a moderately oversized body so the client gets that answer on a healthy connection, and still bounds abuse.
    kestrel.Limits.MaxRequestBodySize = 16L * options.MaxRequestBodyBytes;
    // ASP.NET's own address settings (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, ...) win when given, as users
    // of ASP.NET expect; binding Serving:Host/Port here as well would override them.
    if (ServingOptions.AspNetAddressKeys.Any(key => !string.IsNullOrEmpty(configuration[key])))
    {
        return;
    }

    if (options.Host == "localhost")
    {
        kestrel.ListenLocalhost(options.Port);
    }
    else
    {
        kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
    }
});

// One JSON object per log line, with each event's named fields.
builder.Logging.AddJsonConsole(json =>
{
    json.UseUtcTimestamp = true;
    json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
});

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true); // to BadRequestExceptionHandler, with the reason
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServingJsonContext.Default));
builder.Services.AddOpenApi();
builder.Services.AddRequestQueue();
builder.Services.AddHealthChecks().AddCheck<ModelReadyCheck>("model", tags: [ModelReadyCheck.Tag]);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ServingMetrics>();
builder.Services.AddSingleton<ModelHolder>();
builder.Services.AddSingleton<ReloadStatus>();
builder.Services.AddSingleton<ExperimentResults>();
builder.Services.AddSingleton<ModelLoader>();
builder.Services.AddHostedService<ModelReloader>();

WebApplication app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages(); // empty 4xx answers (an unknown route) become problem+json too
app.UseWebApp();
app.UseRouting();
app.UseHttpMetrics(http => http.SetMetricFactory(app.Services.GetRequiredService<ServingMetrics>().Factory));
app.UseMiddleware<ApiKeyMiddleware>();
app.UseRateLimiter();

app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }); // alive: the process answers
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ModelReadyCheck.Tag) });
app.MapMetrics("/metrics", app.Services.GetRequiredService<ServingMetrics>().Registry);
app.MapOpenApi();

app.MapGroup("/v1")
    .RequireRateLimiting(RequestQueue.Policy)
    .MapUsers()
    .MapRecommendations()
    .MapPredictions()
    .MapMovies()
    .MapModel()
    .MapExperiments();

app.Run();
