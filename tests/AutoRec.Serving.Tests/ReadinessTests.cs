using System.Net;
using System.Text;

namespace AutoRec.Serving.Tests;

/// <summary>The service answers 503 until a model is loaded, and loads one as soon as the folder has it.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task NotReadyUntilTheModelFolderIsFilled()
    {
        using var folder = new ModelFolder(ModelKind.UserBased, write: false);
        await using var app = new ServingApp(folder.Root);
        using HttpClient client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        await (await client.GetAsync("/v1/model")).ProblemAsync(HttpStatusCode.ServiceUnavailable, "Model not ready");
        await (await client.GetAsync("/v1/users/1/recommendations")).ProblemAsync(HttpStatusCode.ServiceUnavailable, "Model not ready");
        await (await client.PostJsonAsync("/v1/recommendations", """{"ratings": {"101": 5}}""")).ProblemAsync(HttpStatusCode.ServiceUnavailable, "Model not ready");

        folder.WriteAll();

        await app.WaitForAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the model to load");
        (await client.GetAsync("/v1/model")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task ABrokenModelAtStartLeavesItNotReadyUntilAGoodOneArrives()
    {
        using var folder = new ModelFolder(ModelKind.ItemBased);
        folder.ReplaceModel(Encoding.UTF8.GetBytes("this is not an ONNX model"));
        await using var app = new ServingApp(folder.Root);
        using HttpClient client = app.CreateClient();

        await app.WaitForAsync(() => Task.FromResult(app.Metrics.ReloadFailures >= 1), "the failed load to be counted");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);

        folder.ReplaceModel(seed: 5);

        await app.WaitForAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the good model to load");
        Assert.Equal(1, app.Metrics.ReloadFailures);
    }
}
