using System.Net;
using System.Text.Json;

namespace AutoRec.Serving.Tests;

/// <summary>Health, readiness, metrics and the OpenAPI document.</summary>
public sealed class OperationsTests(UserBasedService served) : IClassFixture<UserBasedService>
{
    private HttpClient Client => served.Client;

    [Fact]
    public async Task HealthAndReadinessAnswer200OnceLoaded()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task MetricsHaveRequestDurationsByRouteTemplateAndModelFigures()
    {
        int user = served.Folder.UserIds[0];
        (await Client.GetAsync($"/v1/users/{user}/recommendations?n=2")).EnsureSuccessStatusCode();

        string metrics = await Client.GetStringAsync("/metrics");

        Assert.True(Http.Sample(
            metrics, "http_request_duration_seconds_count{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/v1/users/{id}/recommendations\"}") >= 1);
        Assert.True(Http.Sample(metrics, "autorec_model_run_seconds_count{operation=\"recommend_user\"}") >= 1);
        Assert.Equal(1, Http.Sample(metrics, "autorec_model_reloads_total{result=\"success\"}"));
        Assert.Equal(0, Http.Sample(metrics, "autorec_model_reloads_total{result=\"failure\"}"));
        Assert.Contains($"autorec_model_info{{version=\"{served.Folder.Version()}\",kind=\"user-based\",dataset=\"tiny\"}} 1", metrics);
        Assert.Contains("autorec_model_batch_size_bucket", metrics);
        Assert.Contains("process_working_set_bytes", metrics);
    }

    [Fact]
    public async Task OpenApiDocumentListsEveryEndpoint()
    {
        JsonElement document = await (await Client.GetAsync("/openapi/v1.json")).OkJsonAsync();

        JsonElement paths = document.GetProperty("paths");
        foreach (string path in new[] { "/v1/users/{id}/recommendations", "/v1/recommendations", "/v1/predictions", "/v1/movies/{id}/similar", "/v1/model" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }

        foreach (string path in new[] { "/v1/recommendations", "/v1/predictions" })
        {
            // Declared by the JsonRequest<T> parameter: the body and the answers to a bad one.
            JsonElement post = paths.GetProperty(path).GetProperty("post");
            Assert.True(post.TryGetProperty("requestBody", out _), $"{path}: no requestBody");
            foreach (string status in (string[])["400", "413", "415"])
            {
                Assert.True(post.GetProperty("responses").TryGetProperty(status, out _), $"{path}: no {status}");
            }
        }

        // The endpoints that answer from the model say they can answer 503 (declared once, by their ServedModel
        // parameter, which is bound by the service and so is no parameter of the API); the experiments need no model.
        foreach (JsonProperty path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            foreach (JsonProperty operation in path.Value.EnumerateObject())
            {
                bool documents503 = operation.Value.GetProperty("responses").TryGetProperty("503", out _);
                Assert.True(documents503 != path.Name.StartsWith("/v1/experiments", StringComparison.Ordinal), $"{operation.Name} {path.Name}: 503 documented {documents503}");
                string[] parameters = operation.Value.TryGetProperty("parameters", out JsonElement list) ? [.. list.EnumerateArray().Select(x => x.GetProperty("name").GetString()!)] : [];
                Assert.DoesNotContain("served", parameters);
            }
        }
    }
}
