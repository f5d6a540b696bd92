using System.Text.Json;
using AutoRec.Inference;

namespace AutoRec.Serving.Tests;

/// <summary>
/// A folder whose model/blend.json blends its item-based model.onnx with a user-based member is served as the blend:
/// the same answers as the library's blend recommender, the manifest's hash as the version, and model.onnx alone
/// again once the manifest is gone.
/// </summary>
public sealed class BlendServingTests : IAsyncLifetime
{
    // Properties, as in ServedModel: IAsyncLifetime disposes them.
    private ModelFolder Folder { get; } = new(ModelKind.ItemBased);

    private ServingApp App { get; set; } = null!;

    private HttpClient Client { get; set; } = null!;

    private string ManifestPath => Path.Combine(Folder.Root, "model", "blend.json");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Folder.Root, "members"));
        TestModels.Write(Path.Combine(Folder.Root, "members"), ModelFolder.DefaultSpec(ModelKind.UserBased, seed: 7), "user.onnx");
        var manifest = new BlendManifest("tiny-blend", 0.2, [new("item", "model.onnx", 0.6), new("user", "../members/user.onnx", 0.35)]) { Dataset = "tiny" };
        File.WriteAllText(ManifestPath, manifest.ToJson());
        App = new ServingApp(Folder.Root, new Dictionary<string, string?> { ["Model:PollInterval"] = "00:00:00.100", ["Model:ReloadDelay"] = "00:00:00.050" });
        Client = await App.StartReadyAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        Folder.Dispose();
    }

    [Fact]
    public async Task TheBlendAnswersAsTheLibrarysBlendRecommender()
    {
        using BlendedModel blend = BlendedModel.Open(ManifestPath);
        IRecommender library = Recommender.Create(blend, Folder.Train, MovieCatalog.From(ModelFolder.Movies));

        JsonElement model = await (await Client.GetAsync("/v1/model")).OkJsonAsync();
        Assert.Equal(Folder.Version(ManifestPath), model.GetProperty("version").GetString());
        Assert.Equal("item-based", model.GetProperty("kind").GetString());
        Assert.Equal(library.UserIds.Count, model.GetProperty("users").GetInt32());

        foreach (int user in library.UserIds)
        {
            JsonElement body = await (await Client.GetAsync($"/v1/users/{user}/recommendations?n=4")).OkJsonAsync();
            IReadOnlyList<Recommendation> expected = library.Recommend(user, 4);
            Assert.Equal(expected.Select(r => r.MovieId), body.GetProperty("recommendations").MovieIds());
            foreach ((JsonElement item, Recommendation r) in body.GetProperty("recommendations").EnumerateArray().Zip(expected))
            {
                Assert.Equal(r.Score, item.GetProperty("predictedRating").GetSingle(), 1e-5f);
            }
        }

        JsonElement folded = await (await Client.PostJsonAsync("/v1/recommendations", """{"ratings": {"101": 5, "55": 2}, "n": 3}""")).OkJsonAsync();
        IReadOnlyList<Recommendation> foldedExpected = library.Recommend(new Dictionary<int, float> { [101] = 5f, [55] = 2f }, 3);
        Assert.Equal(foldedExpected.Select(r => r.MovieId), folded.GetProperty("recommendations").MovieIds());
    }

    [Fact]
    public async Task RemovingTheManifestServesModelOnnxAlone()
    {
        File.Delete(ManifestPath);
        await App.WaitForAsync(
            async () => (await (await Client.GetAsync("/v1/model")).OkJsonAsync()).GetProperty("version").GetString() == Folder.Version(),
            "model.onnx served after blend.json was removed");

        using Reference alone = Folder.OpenReference();
        int user = alone.Recommender.UserIds[0];
        JsonElement body = await (await Client.GetAsync($"/v1/users/{user}/recommendations?n=4")).OkJsonAsync();
        Assert.Equal(alone.Recommender.Recommend(user, 4).Select(r => r.MovieId), body.GetProperty("recommendations").MovieIds());
    }
}
