using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AutoRec.Serving.Tests;

/// <summary>The app on Kestrel, over a real loopback connection: where it listens, and its body limit on the wire.</summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task ListensOnLoopbackAndBoundsBodiesOnTheWire()
    {
        using var folder = new ModelFolder(ModelKind.UserBased);
        await using var app = new ServingApp(folder.Root, new Dictionary<string, string?>
        {
            ["Serving:Port"] = "0",
            ["Serving:MaxRequestBodyBytes"] = "1024",
        });
        using HttpClient client = await StartOnLoopbackAsync(app);

        (await client.GetAsync($"/v1/users/{folder.UserIds[0]}/recommendations")).EnsureSuccessStatusCode();

        byte[] big = Encoding.UTF8.GetBytes("""{"ratings": {"101": 5}, "exclude": [""" + string.Join(", ", Enumerable.Repeat(7, 400)) + "]}");
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/recommendations") { Content = new BadInputTests.UnknownLengthContent(big) };
        await (await client.SendAsync(chunked)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Request body too large");
        await (await client.PostJsonAsync("/v1/recommendations", Encoding.UTF8.GetString(big))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await client.PostJsonAsync("/v1/recommendations", """{"ratings": {"101": 5}}""")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task AspNetsOwnUrlsSettingWinsOverServingHostAndPort()
    {
        using var folder = new ModelFolder(ModelKind.UserBased);
        // Were Serving:Host used, the address would be 0.0.0.0.
        await using var app = new ServingApp(folder.Root, new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Serving:Host"] = "0.0.0.0",
            ["Serving:Port"] = "0",
        });
        using HttpClient client = await StartOnLoopbackAsync(app);
    }

    /// <summary>Starts <paramref name="app"/> on Kestrel, checks it listens on loopback, and waits until it is ready.</summary>
    private static async Task<HttpClient> StartOnLoopbackAsync(ServingApp app)
    {
        app.UseKestrel();
        app.StartServer();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address);
        var client = new HttpClient { BaseAddress = new Uri(address) };
        await app.WaitForAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the app to be ready");
        return client;
    }
}
