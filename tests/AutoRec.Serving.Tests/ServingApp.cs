using System.Net;
using AutoRec.Serving.Observability;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AutoRec.Serving.Tests;

/// <summary>The real app (its Program) in memory, serving a test folder, with fast reloads and quiet logs.</summary>
internal sealed class ServingApp(string modelDirectory, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly CapturedLogs _logs = new();

    public ServingMetrics Metrics => Services.GetRequiredService<ServingMetrics>();

    /// <summary>A client once /readyz answers 200.</summary>
    public async Task<HttpClient> StartReadyAsync()
    {
        HttpClient client = CreateClient();
        await WaitForAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the app to be ready");
        return client;
    }

    /// <summary>As <see cref="WaitUntilAsync"/>, with the app's log in the failure message.</summary>
    public Task WaitForAsync(Func<Task<bool>> condition, string what, double seconds = 30) =>
        WaitUntilAsync(condition, what, seconds, _logs.Text);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="seconds"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, double seconds = 30, Func<string>? diagnostics = null)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}{(diagnostics is null ? "" : "; the app's log:\n" + diagnostics())}");
            await Task.Delay(25);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Model:Directory", modelDirectory);
        builder.UseSetting("Model:ReloadDelay", "00:00:00.100");
        builder.UseSetting("Model:PollInterval", "00:00:00.100");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:AutoRec", "Information");
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(_logs));
    }
}
