using System.Net;

namespace AutoRec.Serving.Tests;

/// <summary>With an API key configured, /v1 needs it in X-Api-Key; probes and metrics do not.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task V1NeedsTheKeyAndProbesDoNot()
    {
        using var folder = new ModelFolder(ModelKind.UserBased);
        await using var app = new ServingApp(folder.Root, new Dictionary<string, string?> { ["Serving:ApiKey"] = "s3cret" });
        using HttpClient client = await app.StartReadyAsync();

        await (await client.GetAsync("/v1/model")).ProblemAsync(HttpStatusCode.Unauthorized, "Missing or wrong API key");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/model") { Headers = { { "X-Api-Key", "guess" } } };
        await (await client.SendAsync(wrong)).ProblemAsync(HttpStatusCode.Unauthorized, "Missing or wrong API key");
        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/model") { Headers = { { "X-Api-Key", "s3cret" } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
    }
}
