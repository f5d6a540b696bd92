using System.Net;
using System.Text;

namespace AutoRec.Serving.Tests;

/// <summary>Beyond the running and queued requests the service answers 503 at once, and recovers when they finish.</summary>
public sealed class RequestQueueTests
{
    [Fact]
    public async Task AFullQueueIs503WithRetryAfter()
    {
        using var folder = new ModelFolder(ModelKind.UserBased);
        await using var app = new ServingApp(folder.Root, new Dictionary<string, string?>
        {
            ["Serving:MaxConcurrentRequests"] = "1",
            ["Serving:QueueLimit"] = "0",
        });
        using HttpClient client = await app.StartReadyAsync();
        var release = new TaskCompletionSource();

        // Holds the only slot: its handler waits for a body that arrives only on release.
        using var slow = new HttpRequestMessage(HttpMethod.Post, "/v1/recommendations")
        {
            Content = new GatedContent(Encoding.UTF8.GetBytes("""{"ratings": {"101": 5}}"""), release.Task),
        };
        // The test server's own client: the factory's default one buffers request bodies (to follow redirects).
        using HttpClient streaming = app.Server.CreateClient();
        Task<HttpResponseMessage> holding = streaming.SendAsync(slow);

        // Nothing else runs on /v1 until it holds the slot (in progress, still waiting for its body).
        await app.WaitForAsync(async () =>
        {
            Assert.False(holding.IsCompleted, "the slow request ended early");
            string metrics = await client.GetStringAsync("/metrics");
            return Http.Sample(metrics, "http_requests_in_progress{method=\"POST\",controller=\"\",action=\"\",endpoint=\"/v1/recommendations\"}") == 1;
        }, "the slow request to hold the slot");

        HttpResponseMessage refused = await client.GetAsync("/v1/model");
        await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable, "Server busy");
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode); // probes are not queued

        release.SetResult();
        (await holding).EnsureSuccessStatusCode();
        (await client.GetAsync("/v1/model")).EnsureSuccessStatusCode();
    }

    /// <summary>A body whose first byte is sent at once and the rest only when the gate task completes.</summary>
    private sealed class GatedContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly Task _gate;

        public GatedContent(byte[] bytes, Task gate)
        {
            _bytes = bytes;
            _gate = gate;
            Headers.ContentType = new("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, 1));
            await stream.FlushAsync();
            await _gate;
            await stream.WriteAsync(_bytes.AsMemory(1));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
