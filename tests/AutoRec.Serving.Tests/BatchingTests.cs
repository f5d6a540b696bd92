using System.Text.Json;
using AutoRec.Inference;

namespace AutoRec.Serving.Tests;

/// <summary>
/// Concurrent requests on a user-based model that runs its graph per user share network runs, and each still gets
/// exactly its own answer; one served as factors is not batched at all.
/// </summary>
public sealed class BatchingTests
{
    [Fact]
    public async Task ConcurrentRequestsAreBatchedAndAnsweredEachTheirOwn()
    {
        // A filled input (the row's mean for unknown ratings) is not a sparse sum: the graph runs for every user.
        using var folder = new ModelFolder(ModelKind.UserBased, adjust: spec => spec with { Fill = AutoRec.Onnx.DefaultFill.RowMean });
        await using var app = new ServingApp(folder.Root, new Dictionary<string, string?>
        {
            ["Batching:MaxWait"] = "00:00:00.050", // long enough that concurrent requests surely meet
            ["Batching:MaxBatchSize"] = "8",
        });
        using HttpClient client = await app.StartReadyAsync();
        using Reference reference = folder.OpenReference();
        var random = new Random(7);
        Dictionary<int, float>[] users = [.. Enumerable.Range(0, 24).Select(_ => ModelFolder.MovieIds
            .OrderBy(_ => random.Next()).Take(3).ToDictionary(id => id, _ => (float)random.Next(1, 6)))];

        JsonElement[] answers = await Task.WhenAll(users.Select(async ratings =>
        {
            string json = JsonSerializer.Serialize(new { ratings = ratings.ToDictionary(r => r.Key.ToString(), r => r.Value), n = 4 });
            return await (await client.PostJsonAsync("/v1/recommendations", json)).OkJsonAsync();
        }));

        for (int i = 0; i < users.Length; i++)
        {
            IReadOnlyList<Recommendation> expected = reference.Recommender.Recommend(users[i], 4);
            JsonElement got = answers[i].GetProperty("recommendations");
            Assert.Equal(expected.Select(r => r.MovieId), got.MovieIds());
            Assert.Equal(expected.Select(r => r.Score), got.EnumerateArray().Select(m => m.GetProperty("predictedRating").GetSingle()));
        }

        string metrics = await client.GetStringAsync("/metrics");
        double runs = Http.Sample(metrics, "autorec_model_batch_size_count")!.Value;
        double rows = Http.Sample(metrics, "autorec_model_batch_size_sum")!.Value;
        Assert.True(rows / runs > 1.5, $"{rows} rows in {runs} runs: requests were not batched");
        Assert.True(Http.Sample(metrics, "autorec_model_batch_size_bucket{le=\"8\"}") == runs, "a run was larger than MaxBatchSize");
    }

    [Fact]
    public async Task AUserBasedModelServedAsFactorsIsNotBatched()
    {
        using var folder = new ModelFolder(ModelKind.UserBased);
        await using var app = new ServingApp(folder.Root, new Dictionary<string, string?> { ["Batching:MaxWait"] = "00:00:00.050" });
        using HttpClient client = await app.StartReadyAsync();
        using Reference reference = folder.OpenReference();
        var ratings = new Dictionary<int, float> { [ModelFolder.MovieIds[0]] = 4f, [ModelFolder.MovieIds[1]] = 2f };
        string json = JsonSerializer.Serialize(new { ratings = ratings.ToDictionary(r => r.Key.ToString(), r => r.Value), n = 4 });
        JsonElement got = (await (await client.PostJsonAsync("/v1/recommendations", json)).OkJsonAsync()).GetProperty("recommendations");
        Assert.Equal(reference.Recommender.Recommend(ratings, 4).Select(r => r.MovieId), got.MovieIds());
        Assert.Equal(0, Http.Sample(await client.GetStringAsync("/metrics"), "autorec_model_batch_size_count") ?? 0);
    }
}
