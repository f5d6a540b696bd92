using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AutoRec.Serving.Models;

/// <summary>Ready once a generation is loaded and warmed (a generation is published only after its warm-up).</summary>
internal sealed class ModelReadyCheck(ModelHolder holder) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(holder.Current is { } generation
            ? HealthCheckResult.Healthy($"serving model {generation.Version}")
            : HealthCheckResult.Unhealthy("the model is not loaded yet"));
}
