using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AutoRec.Serving.Tests;

/// <summary>Replacing model.onnx under concurrent requests swaps models atomically and fails no request; a broken file changes nothing.</summary>
public sealed class ReloadTests
{
    private const int Clients = 8;

    [Theory]
    [InlineData(ModelKind.UserBased)]
    [InlineData(ModelKind.ItemBased)]
    public async Task ReloadsUnderLoadFailNoRequestAndABrokenModelKeepsTheOldOne(ModelKind kind)
    {
        using var folder = new ModelFolder(kind);
        await using var app = new ServingApp(folder.Root);
        using HttpClient client = await app.StartReadyAsync();
        bool newUsers;
        using (Reference first = folder.OpenReference())
        {
            newUsers = first.Recommender.CanRecommendForRatings;
        }

        // Each version's top 3 for every user: a response must match the version it names, whole.
        var expected = new ConcurrentDictionary<string, Dictionary<int, int[]>>();
        void Expect(string modelPath)
        {
            using Reference reference = folder.OpenReference(modelPath);
            expected[folder.Version(modelPath)] = folder.UserIds.ToDictionary(u => u, u => reference.Recommender.Recommend(u, 3).Select(r => r.MovieId).ToArray());
        }

        string v1 = folder.Version();
        Expect(folder.ModelPath);
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();
        int requests = 0;
        using var stop = new CancellationTokenSource();
        Task[] load = [.. Enumerable.Range(0, Clients).Select(c => Task.Run(() => HammerAsync(c)))];

        async Task HammerAsync(int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                int user = folder.UserIds[random.Next(folder.UserIds.Length)];
                (string what, HttpResponseMessage response) = random.Next(4) switch
                {
                    0 when newUsers => ("new user", await client.PostJsonAsync("/v1/recommendations", """{"ratings": {"101": 5, "9": 2}, "n": 3}""")),
                    1 => ("predictions", await client.PostJsonAsync("/v1/predictions", $$"""{"userId": {{user}}, "movieIds": [101, 55]}""")),
                    2 => ("model", await client.GetAsync("/v1/model")),
                    _ => ("known user", await client.GetAsync($"/v1/users/{user}/recommendations?n=3")),
                };
                string text = await response.Content.ReadAsStringAsync();
                Interlocked.Increment(ref requests);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{what}: {(int)response.StatusCode} {text}");
                    continue;
                }

                if (what == "known user")
                {
                    JsonElement body = JsonDocument.Parse(text).RootElement;
                    string version = body.GetProperty("modelVersion").GetString()!;
                    seen.AddOrUpdate(version, 1, (_, n) => n + 1);
                    if (!expected.TryGetValue(version, out Dictionary<int, int[]>? answers))
                    {
                        failures.Enqueue($"answered by unexpected version {version}");
                    }
                    else if (!answers[user].SequenceEqual(body.GetProperty("recommendations").MovieIds()))
                    {
                        failures.Enqueue($"version {version} answered user {user} with another model's ranking");
                    }
                }
            }
        }

        async Task<string> ServedVersionAsync() => (await (await client.GetAsync("/v1/model")).OkJsonAsync()).GetProperty("version").GetString()!;

        async Task ReplaceAsync(int seed)
        {
            folder.StageModel(seed);
            string version = folder.Version(folder.StagedModelPath);
            Expect(folder.StagedModelPath);
            folder.CommitStagedModel();
            await app.WaitForAsync(async () => await ServedVersionAsync() == version, $"model {seed} to be served");
            await app.WaitForAsync(() => Task.FromResult(seen.ContainsKey(version)), $"a request answered by model {seed}");
        }

        await app.WaitForAsync(() => Task.FromResult(Volatile.Read(ref requests) > 50), "requests to flow");
        await ReplaceAsync(seed: 2);
        string v2 = await ServedVersionAsync();

        folder.ReplaceModel(Encoding.UTF8.GetBytes("truncated"));
        await app.WaitForAsync(() => Task.FromResult(app.Metrics.ReloadFailures == 1), "the broken model to fail to load");
        Assert.Equal(v2, await ServedVersionAsync());
        string metrics = await client.GetStringAsync("/metrics");
        Assert.Equal(1, Http.Sample(metrics, "autorec_model_reloads_total{result=\"failure\"}"));

        await ReplaceAsync(seed: 3);
        int before = Volatile.Read(ref requests);
        await app.WaitForAsync(() => Task.FromResult(Volatile.Read(ref requests) > before + 50), "requests after the last reload");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.Contains(v1, seen.Keys);
        Assert.Contains(v2, seen.Keys);
        Assert.Equal(3, app.Metrics.ReloadSuccesses);
        Assert.Equal(1, app.Metrics.ReloadFailures);
    }

    [Fact]
    public async Task SameBytesWrittenAgainAreNotReloaded()
    {
        using var folder = new ModelFolder(ModelKind.UserBased);
        await using var app = new ServingApp(folder.Root);
        using HttpClient client = await app.StartReadyAsync();
        DateTimeOffset loadedAt = (await (await client.GetAsync("/v1/model")).OkJsonAsync()).GetProperty("loadedAt").GetDateTimeOffset();

        folder.ReplaceModel(File.ReadAllBytes(folder.ModelPath));
        folder.ReplaceModel(seed: 1); // the same model rebuilt: the same bytes
        await Task.Delay(600);

        Assert.Equal(loadedAt, (await (await client.GetAsync("/v1/model")).OkJsonAsync()).GetProperty("loadedAt").GetDateTimeOffset());
        Assert.Equal(1, app.Metrics.ReloadSuccesses);
        Assert.Equal(0, app.Metrics.ReloadFailures);
    }
}
