using System.Net;
using System.Text.Json;
using AutoRec.Inference;

namespace AutoRec.Serving.Tests;

/// <summary>
/// The API the web app is built on (public, documented like the rest): catalog search, one movie, a known user's
/// training ratings, similar movies among given ones, the model card and its learning curve, the experiments; and
/// the app's own pages, served without the API key.
/// </summary>
public sealed class WebAppApiTests : IDisposable
{
    private readonly WebAppFolder _folder = new();
    private readonly ServingApp _app;

    public WebAppApiTests() => _app = new ServingApp(_folder.ModelDirectory, new Dictionary<string, string?>
    {
        ["Experiments:ResultsDirectory"] = _folder.ResultsDirectory,
        ["Experiments:FiguresDirectory"] = _folder.FiguresDirectory,
    });

    public void Dispose()
    {
        _app.Dispose();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("the matrix", new[] { 15 })] // words in any order: "Matrix, The (1999)"
    [InlineData("AMELIE", new[] { 20 })] // any case, accents ignored
    [InlineData("toy story", new[] { 1, 21 })] // both prefix matches; the more rated first, then by id
    [InlineData("1995 heat", new[] { 3 })] // the year is part of the title
    [InlineData("no such film", new int[0])]
    public async Task SearchFindsTitlesByTheirWords(string q, int[] expected)
    {
        HttpClient client = await _app.StartReadyAsync();

        JsonElement answer = await (await client.GetAsync($"/v1/movies?q={Uri.EscapeDataString(q)}")).OkJsonAsync();

        int[] found = [.. answer.GetProperty("movies").EnumerateArray().Select(m => m.GetProperty("movieId").GetInt32())];
        int Count(int id) => _folder.Train.Count(r => r.MovieId == id);
        Assert.Equal([.. expected.OrderByDescending(Count).ThenBy(id => id)], found);
        Assert.Equal(expected.Length, answer.GetProperty("total").GetInt32());
        foreach (JsonElement movie in answer.GetProperty("movies").EnumerateArray())
        {
            Assert.Equal(Count(movie.GetProperty("movieId").GetInt32()), movie.GetProperty("trainingRatings").GetInt32());
        }
    }

    [Fact]
    public async Task SearchWithoutWordsListsTheMostRatedFirstAndPagesAndFiltersByGenre()
    {
        HttpClient client = await _app.StartReadyAsync();

        JsonElement page = await (await client.GetAsync("/v1/movies?n=5&offset=2")).OkJsonAsync();
        JsonElement comedies = await (await client.GetAsync("/v1/movies?n=100&genres=comedy")).OkJsonAsync();

        int[] byCount = [.. WebAppFolder.Movies.Select(m => m.MovieId).OrderByDescending(id => _folder.Train.Count(r => r.MovieId == id)).ThenBy(id => id)];
        Assert.Equal(byCount.Skip(2).Take(5), page.GetProperty("movies").EnumerateArray().Select(m => m.GetProperty("movieId").GetInt32()));
        Assert.Equal(40, page.GetProperty("total").GetInt32());
        Assert.Equal(WebAppFolder.Movies.Count(m => m.Genres.Contains("Comedy", StringComparison.Ordinal)), comedies.GetProperty("total").GetInt32());
        await (await client.GetAsync("/v1/movies?genres=NoSuchGenre")).ProblemAsync(HttpStatusCode.BadRequest, "Unknown genre");
        await (await client.GetAsync($"/v1/movies?q={new string('a', 201)}")).ProblemAsync(HttpStatusCode.BadRequest, "Query too long");
    }

    [Fact]
    public async Task AMovieHasItsTrainingRatingsAndTheModelsPredictionsOverItsUsers()
    {
        HttpClient client = await _app.StartReadyAsync();

        JsonElement movie = await (await client.GetAsync("/v1/movies/1")).OkJsonAsync();

        Rating[] ratings = [.. _folder.Train.Where(r => r.MovieId == 1)];
        Assert.Equal("Toy Story (1995)", movie.GetProperty("title").GetString());
        Assert.Equal(1995, movie.GetProperty("year").GetInt32());
        Assert.Equal(ratings.Length, movie.GetProperty("trainingRatings").GetInt32());
        Assert.Equal(ratings.Average(r => r.Value), movie.GetProperty("meanTrainingRating").GetDouble(), 6);
        Assert.Equal(
            Enumerable.Range(1, 5).Select(star => ratings.Count(r => r.Value == star)),
            movie.GetProperty("trainingRatingCounts").EnumerateArray().Select(c => c.GetProperty("count").GetInt32()));

        // Every user of the model, each prediction in the bin of its nearest star.
        using WebAppReference reference = WebAppReference.Open(_folder);
        float[] predicted = [.. reference.Recommender.UserIds.Select(user => reference.Recommender.Predict(user, 1))];
        JsonElement distribution = movie.GetProperty("predicted");
        Assert.Equal(WebAppFolder.Users, distribution.GetProperty("users").GetInt32());
        Assert.Equal(predicted.Average(), distribution.GetProperty("mean").GetDouble(), 4);
        Assert.Equal(
            Enumerable.Range(1, 5).Select(star => predicted.Count(p => Math.Clamp((int)MathF.Round(p), 1, 5) == star)),
            distribution.GetProperty("counts").EnumerateArray().Select(c => c.GetProperty("count").GetInt32()));
        await (await client.GetAsync("/v1/movies/999")).ProblemAsync(HttpStatusCode.NotFound, "Unknown movie");
    }

    [Fact]
    public async Task AKnownUsersTrainingRatingsComeBestFirst()
    {
        HttpClient client = await _app.StartReadyAsync();

        JsonElement answer = await (await client.GetAsync("/v1/users/3/ratings")).OkJsonAsync();

        Rating[] expected = [.. _folder.Train.Where(r => r.UserId == 3).OrderByDescending(r => r.Value).ThenBy(r => r.MovieId)];
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(r => (r.MovieId, r.Value)), answer.GetProperty("ratings").EnumerateArray().Select(r => (r.GetProperty("movieId").GetInt32(), r.GetProperty("rating").GetSingle())));
        Assert.Equal(WebAppFolder.Movies.Single(m => m.MovieId == expected[0].MovieId).Title, answer.GetProperty("ratings")[0].GetProperty("title").GetString());
        await (await client.GetAsync("/v1/users/9999/ratings")).ProblemAsync(HttpStatusCode.NotFound, "Unknown user");
    }

    [Fact]
    public async Task SimilarAmongGivenMoviesRanksOnlyThose()
    {
        HttpClient client = await _app.StartReadyAsync();

        JsonElement answer = await (await client.GetAsync("/v1/movies/1/similar?n=3&among=15&among=20&among=3&among=1")).OkJsonAsync();

        using WebAppReference reference = WebAppReference.Open(_folder);
        IReadOnlyList<SimilarMovie> expected = reference.Recommender.SimilarMovies(1, new RecommendationQuery { Count = 3, Filter = id => id is 15 or 20 or 3 });
        Assert.Equal(expected.Select(s => s.MovieId), answer.GetProperty("similar").EnumerateArray().Select(s => s.GetProperty("movieId").GetInt32()));
        Assert.Equal(3, expected.Count);
        await (await client.GetAsync("/v1/movies/1/similar?among=999")).ProblemAsync(HttpStatusCode.BadRequest, "Unknown movie ids");
    }

    [Fact]
    public async Task TheModelCardSaysHowTheModelWasMadeAndItsLearningCurve()
    {
        HttpClient client = await _app.StartReadyAsync();

        JsonElement model = await (await client.GetAsync("/v1/model")).OkJsonAsync();
        JsonElement history = await (await client.GetAsync("/v1/model/history")).OkJsonAsync();

        Assert.Equal("model/model.onnx", model.GetProperty("file").GetString());
        Assert.Equal(new FileInfo(_folder.ModelPath).Length, model.GetProperty("fileBytes").GetInt64());
        Assert.Equal(1234, model.GetProperty("training").GetProperty("parameters").GetInt64());
        Assert.Equal(7, model.GetProperty("split").GetProperty("seed").GetInt64());
        Assert.Equal(2, model.GetProperty("gate").GetProperty("maxTestRmse").GetDouble());
        Assert.True(model.GetProperty("gate").GetProperty("passed").GetBoolean());
        Assert.Equal(model.GetProperty("version").GetString(), model.GetProperty("reload").GetProperty("loaded").GetString());
        Assert.Equal(JsonValueKind.Object, model.GetProperty("config").ValueKind);
        Assert.Contains("Comedy", model.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
        Assert.True(model.GetProperty("hasLearningCurve").GetBoolean());
        Assert.Equal([1.0, 2, 3, 4, 5, 6], history.GetProperty("columns").GetProperty("epoch").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(1.3 - 0.05, history.GetProperty("columns").GetProperty("validation_rmse")[0].GetDouble(), 9);
    }

    [Fact]
    public async Task TheExperimentsAreListedReadAndTheirFiguresServed()
    {
        HttpClient client = await _app.StartReadyAsync();

        JsonElement list = await (await client.GetAsync("/v1/experiments")).OkJsonAsync();
        JsonElement suite = await (await client.GetAsync("/v1/experiments/tiny-suite")).OkJsonAsync();
        HttpResponseMessage figure = await client.GetAsync("/v1/experiments/tiny-suite/figure");

        JsonElement summary = Assert.Single(list.GetProperty("suites").EnumerateArray());
        Assert.Equal(WebAppFolder.SuiteTitle, summary.GetProperty("title").GetString());
        Assert.Equal(3, summary.GetProperty("runs").GetInt32());
        Assert.Equal(0.95, summary.GetProperty("bestTestRmse").GetDouble(), 9); // the diverged run's 0 is no result
        Assert.Equal("/v1/experiments/tiny-suite/figure", summary.GetProperty("figure").GetString());
        Assert.Equal(WebAppFolder.RunLabels, suite.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        Assert.Equal(HttpStatusCode.OK, figure.StatusCode);
        Assert.Equal("image/png", figure.Content.Headers.ContentType?.MediaType);
        await (await client.GetAsync("/v1/experiments/none")).ProblemAsync(HttpStatusCode.NotFound, "Unknown experiment suite");
        await (await client.GetAsync("/v1/experiments/..%2Fmodel")).ProblemAsync(HttpStatusCode.NotFound, "Unknown experiment suite");
    }

    [Fact]
    public async Task NoExperimentsFolderIsAnEmptyList()
    {
        using var app = new ServingApp(_folder.ModelDirectory, new Dictionary<string, string?> { ["Experiments:ResultsDirectory"] = Path.Combine(_folder.ResultsDirectory, "missing") });
        HttpClient client = await app.StartReadyAsync();

        JsonElement list = await (await client.GetAsync("/v1/experiments")).OkJsonAsync();

        Assert.Empty(list.GetProperty("suites").EnumerateArray());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/users/42")]
    [InlineData("/movies/1")]
    [InlineData("/model")]
    [InlineData("/experiments/tiny-suite")]
    public async Task ThePagesAreTheAppsIndexWithoutTheApiKey(string page)
    {
        using var app = new ServingApp(_folder.ModelDirectory, new Dictionary<string, string?> { ["Serving:ApiKey"] = "secret" });
        HttpClient client = await app.StartReadyAsync();

        HttpResponseMessage answer = await client.GetAsync(page);
        HttpResponseMessage script = await client.GetAsync("/app/js/main.js");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script src=\"/app/js/main.js\" type=\"module\"></script>", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", answer.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        await (await client.GetAsync("/v1/model")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/nothing-here")).ProblemAsync(HttpStatusCode.NotFound);
    }
}

/// <summary>The library's recommender on a <see cref="WebAppFolder"/>: what the service must answer.</summary>
internal sealed class WebAppReference(RecommenderModel model, IRecommender recommender) : IDisposable
{
    public IRecommender Recommender { get; } = recommender;

    public static WebAppReference Open(WebAppFolder folder)
    {
        RecommenderModel model = RecommenderModel.Open(folder.ModelPath);
        return new WebAppReference(model, AutoRec.Inference.Recommender.Create(model, folder.Train, MovieCatalog.From(WebAppFolder.Movies)));
    }

    public void Dispose() => model.Dispose();
}
