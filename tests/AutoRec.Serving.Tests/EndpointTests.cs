using System.Net;
using System.Text.Json;
using AutoRec.Inference;

namespace AutoRec.Serving.Tests;

/// <summary>Every /v1 endpoint answers what the inference library answers, for both kinds of model.</summary>
public abstract class EndpointTests(ServedModel served)
{
    private HttpClient Client => served.Client;

    private IRecommender Library => served.Reference.Recommender;

    [Fact]
    public async Task KnownUserTopNIsTheLibrarysWithTitlesAndGenres()
    {
        foreach (int user in served.Folder.UserIds)
        {
            JsonElement body = await (await Client.GetAsync($"/v1/users/{user}/recommendations?n=4")).OkJsonAsync();

            IReadOnlyList<Recommendation> expected = Library.Recommend(user, 4);
            JsonElement list = body.GetProperty("recommendations");
            Assert.Equal(expected.Select(r => r.MovieId), list.MovieIds());
            Assert.Equal(user, body.GetProperty("userId").GetInt32());
            Assert.Equal(served.Folder.Version(), body.GetProperty("modelVersion").GetString());
            foreach ((JsonElement item, Recommendation r) in list.EnumerateArray().Zip(expected))
            {
                Assert.Equal(r.Score, item.GetProperty("predictedRating").GetSingle(), 1e-5f);
                Movie? movie = ModelFolder.Movies.FirstOrDefault(m => m.MovieId == r.MovieId);
                Assert.Equal(movie?.Title, item.GetProperty("title").GetString());
                Assert.Equal(movie?.Genres.Split('|') ?? [], item.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
            }

            // Rated movies are never recommended.
            Assert.DoesNotContain(list.MovieIds(), id => served.Folder.Train.Any(r => r.UserId == user && r.MovieId == id));
        }
    }

    [Fact]
    public async Task OffsetPagesThroughTheSameRanking()
    {
        int user = served.Folder.UserIds[1];
        int[] ranking = [.. Library.Recommend(user, 100).Select(r => r.MovieId)];

        JsonElement page = await (await Client.GetAsync($"/v1/users/{user}/recommendations?n=2&offset=2")).OkJsonAsync();

        Assert.Equal(ranking[2..4], page.GetProperty("recommendations").MovieIds());
        Assert.Equal(2, page.GetProperty("offset").GetInt32());
        JsonElement beyond = await (await Client.GetAsync($"/v1/users/{user}/recommendations?n=5&offset={ranking.Length}")).OkJsonAsync();
        Assert.Empty(beyond.GetProperty("recommendations").EnumerateArray());
    }

    [Fact]
    public async Task GenreFilterKeepsMoviesWithAnyOfTheGenres()
    {
        int user = served.Folder.UserIds[0];
        int[] expected = [.. Library.Recommend(user, 100).Select(r => r.MovieId).Where(id => HasGenre(id, "Comedy", "Horror")).Take(3)];

        JsonElement body = await (await Client.GetAsync($"/v1/users/{user}/recommendations?n=3&genres=comedy&genres=Horror")).OkJsonAsync();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, body.GetProperty("recommendations").MovieIds());
    }

    [Fact]
    public async Task NewUserTopNLeavesOutRatedAndExcludedMovies()
    {
        HttpResponseMessage response = await Client.PostJsonAsync(
            "/v1/recommendations", """{"ratings": {"101": 5, "55": 2, "3": 4}, "n": 3, "offset": 1, "exclude": [7, 500], "genres": ["Comedy", "Action"]}""");

        if (!Library.CanRecommendForRatings)
        {
            // Flips to the comparison below once the library serves new users with this kind of model.
            await response.ProblemAsync(HttpStatusCode.NotImplemented, "Not supported by this model");
            return;
        }

        var ratings = new Dictionary<int, float> { [101] = 5, [55] = 2, [3] = 4 };
        int[] expected = [.. Library.Recommend(ratings, 100).Select(r => r.MovieId).Where(id => id != 7 && HasGenre(id, "Comedy", "Action")).Skip(1).Take(3)];
        JsonElement body = await response.OkJsonAsync();
        Assert.Equal(expected, body.GetProperty("recommendations").MovieIds());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("userId").ValueKind);
    }

    [Fact]
    public async Task PredictionsForAKnownUserAreTheLibrarys()
    {
        int user = served.Folder.UserIds[2];
        int[] movies = [ModelFolder.MovieIds[3], ModelFolder.MovieIds[0], ModelFolder.MovieIds[9]];

        JsonElement body = await (await Client.PostJsonAsync("/v1/predictions", $$"""{"userId": {{user}}, "movieIds": [{{string.Join(",", movies)}}]}""")).OkJsonAsync();

        JsonElement[] predictions = [.. body.GetProperty("predictions").EnumerateArray()];
        Assert.Equal(movies, body.GetProperty("predictions").MovieIds());
        for (int i = 0; i < movies.Length; i++)
        {
            Assert.Equal(Library.Predict(user, movies[i]), predictions[i].GetProperty("predictedRating").GetSingle(), 1e-5f);
        }

        Assert.Null(predictions[2].GetProperty("title").GetString()); // 77 is not in movies.parquet
    }

    [Fact]
    public async Task PredictionsForRatingsAreTheLibrarys()
    {
        HttpResponseMessage response = await Client.PostJsonAsync("/v1/predictions", """{"ratings": {"101": 5, "9": 1}, "movieIds": [55, 250]}""");

        if (!Library.CanRecommendForRatings)
        {
            await response.ProblemAsync(HttpStatusCode.NotImplemented, "Not supported by this model");
            return;
        }

        float[] expected = Library.Predict(new Dictionary<int, float> { [101] = 5, [9] = 1 }, [55, 250]);
        JsonElement body = await response.OkJsonAsync();
        Assert.Equal([55, 250], body.GetProperty("predictions").MovieIds());
        Assert.Equal(expected, body.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("predictedRating").GetSingle()));
    }

    [Fact]
    public async Task SimilarMoviesAreTheLibrarys()
    {
        int movie = ModelFolder.MovieIds[0];

        JsonElement body = await (await Client.GetAsync($"/v1/movies/{movie}/similar?n=3&offset=1")).OkJsonAsync();

        IReadOnlyList<SimilarMovie> expected = Library.SimilarMovies(movie, new RecommendationQuery { Count = 3, Offset = 1 });
        JsonElement similar = body.GetProperty("similar");
        Assert.Equal(movie, body.GetProperty("movieId").GetInt32());
        Assert.Equal(expected.Select(m => m.MovieId), similar.MovieIds());
        Assert.Equal(expected.Select(m => m.Similarity), similar.EnumerateArray().Select(m => m.GetProperty("similarity").GetSingle()));
        Assert.DoesNotContain(movie, similar.MovieIds());
        Assert.Equal(
            ModelFolder.Movies.FirstOrDefault(m => m.MovieId == expected[0].MovieId)?.Title,
            similar.EnumerateArray().First().GetProperty("title").GetString());
    }

    [Fact]
    public async Task SimilarMoviesFilterByGenre()
    {
        int movie = ModelFolder.MovieIds[1];
        int[] expected = [.. Library.SimilarMovies(movie, 100).Select(m => m.MovieId).Where(id => HasGenre(id, "Action")).Take(2)];

        JsonElement body = await (await Client.GetAsync($"/v1/movies/{movie}/similar?n=2&genres=action")).OkJsonAsync();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, body.GetProperty("similar").MovieIds());
    }

    [Fact]
    public async Task ModelDescribesWhatIsServed()
    {
        JsonElement body = await (await Client.GetAsync("/v1/model")).OkJsonAsync();

        Assert.Equal(served.Folder.Kind.Name(), body.GetProperty("kind").GetString());
        Assert.Equal("tiny", body.GetProperty("dataset").GetString());
        Assert.Equal(served.Folder.Version(), body.GetProperty("version").GetString());
        Assert.Equal(0.9123, body.GetProperty("testRmse").GetDouble());
        Assert.Equal(0.8876, body.GetProperty("testRmseUserMean").GetDouble());
        DateTimeOffset loadedAt = body.GetProperty("loadedAt").GetDateTimeOffset();
        Assert.InRange(loadedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        Assert.Equal(Library.UserIds.Count, body.GetProperty("users").GetInt32());
        Assert.Equal(Library.MovieIds.Count, body.GetProperty("movies").GetInt32());
        Assert.Equal(1, body.GetProperty("ratingScale").GetProperty("min").GetSingle());
        Assert.Equal(5, body.GetProperty("ratingScale").GetProperty("max").GetSingle());
        Assert.Equal(1, body.GetProperty("ratingScale").GetProperty("step").GetSingle());
        Assert.Equal(Library.CanRecommendForRatings, body.GetProperty("recommendsForRatings").GetBoolean());
        Assert.Equal("refit", body.GetProperty("protocol").GetString());
    }

    private static bool HasGenre(int movieId, params string[] genres) =>
        ModelFolder.Movies.FirstOrDefault(m => m.MovieId == movieId)?.Genres.Split('|').Intersect(genres).Any() == true;
}

public sealed class UserBasedEndpointTests(UserBasedService served) : EndpointTests(served), IClassFixture<UserBasedService>;

public sealed class UnbatchedUserBasedEndpointTests(UnbatchedUserBasedService served) : EndpointTests(served), IClassFixture<UnbatchedUserBasedService>;

public sealed class ItemBasedEndpointTests(ItemBasedService served) : EndpointTests(served), IClassFixture<ItemBasedService>;
