using AutoRec.Data;
using AutoRec.Onnx;

namespace AutoRec.Inference.Tests;

/// <summary>Item-based models serve users through predictions precomputed from every movie's row.</summary>
public sealed class ItemBasedTests : IDisposable
{
    private static readonly int[] UserIds = [31, 12, 57, 8, 44, 20];

    private static readonly Rating[] Train =
    [
        new(31, 1, 5f, 0), new(31, 2, 3f, 0), new(12, 1, 4f, 0), new(57, 3, 2f, 0),
        new(8, 2, 1f, 0), new(8, 5, 4f, 0), new(44, 5, 5f, 0), new(20, 1, 3f, 0), new(20, 3, 4f, 0),
    ];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(DefaultFill.Zero)]
    [InlineData(DefaultFill.RowMean)]
    [InlineData(DefaultFill.ColumnMean)]
    public void PredictionsEqualEachMovieRowsReference(DefaultFill fill)
    {
        TestModel written = Write(fill);
        using RecommenderModel model = written.Open(new RecommenderOptions { BatchSize = 2 });

        ItemBasedPredictions predictions = ItemBasedPredictions.FromRatings(model, Train, extraMovieIds: [99]);

        Assert.Equal([1, 2, 3, 5, 99], predictions.MovieIds);
        Assert.Equal(UserIds, predictions.UserIds);
        foreach (int movie in predictions.MovieIds)
        {
            float[] reference = written.Reference(Train.Where(r => r.MovieId == movie).ToDictionary(r => r.UserId, r => r.Value));
            for (int u = 0; u < UserIds.Length; u++)
            {
                Assert.Equal(reference[u], predictions.Predict(UserIds[u], movie), Tolerance.Value);
                Assert.Equal(reference[u], predictions.PredictUser(UserIds[u])[predictions.MovieIds.IndexOf(movie)], Tolerance.Value);
            }
        }
    }

    [Fact]
    public void RecommendSkipsTheUsersTrainingRatings()
    {
        TestModel written = Write(DefaultFill.Zero);
        using RecommenderModel model = written.Open();
        ItemBasedPredictions predictions = ItemBasedPredictions.FromRatings(model, Train, extraMovieIds: [7, 9]);
        MovieCatalog catalog = MovieCatalog.From([new Movie(7, "Seven", "Crime")]);

        IReadOnlyList<Recommendation> top = predictions.Recommend(8, 10, catalog);

        float[] all = predictions.PredictUser(8);
        int[] expected = predictions.MovieIds.Where(m => m is not 2 and not 5)
            .OrderByDescending(m => all[predictions.MovieIds.IndexOf(m)]).ThenBy(m => m).ToArray();
        Assert.Equal(expected, top.Select(r => r.MovieId));
        Assert.Equal("Seven", top.Single(r => r.MovieId == 7).Title);
        Assert.Equal(2, predictions.Recommend(8, 2).Count);
    }

    [Fact]
    public void FromParquetEqualsFromRatings()
    {
        TestModel written = Write(DefaultFill.RowMean);
        using RecommenderModel model = written.Open();
        string path = _dir.PathOf("train.parquet");
        ParquetTables.WriteRatings(path, Train);
        ItemBasedPredictions fromFile = ItemBasedPredictions.FromParquet(model, path);
        ItemBasedPredictions fromRatings = ItemBasedPredictions.FromRatings(model, Train);
        Assert.Equal(fromRatings.MovieIds, fromFile.MovieIds);
        foreach (int user in UserIds)
        {
            Assert.Equal(fromRatings.PredictUser(user), fromFile.PredictUser(user));
        }
    }

    [Fact]
    public void SideFeaturesDescribeMovies()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = UserIds, SideWidth = 2 });
        using RecommenderModel model = written.Open();
        var side = new Dictionary<int, float[]> { [1] = [1f, 0f], [2] = [0f, 1f], [3] = [1f, 1f], [5] = [0f, 0f] };
        Assert.Throws<ArgumentException>(() => ItemBasedPredictions.FromRatings(model, Train));
        Assert.Throws<ArgumentException>(() => ItemBasedPredictions.FromRatings(model, Train, sideFeatures: new Dictionary<int, float[]> { [1] = [1f, 0f] }));

        ItemBasedPredictions predictions = ItemBasedPredictions.FromRatings(model, Train, sideFeatures: side);

        float[] reference = written.Reference(Train.Where(r => r.MovieId == 3).ToDictionary(r => r.UserId, r => r.Value), side[3]);
        Assert.Equal(reference[Array.IndexOf(UserIds, 44)], predictions.Predict(44, 3), Tolerance.Value);
    }

    [Fact]
    public void UnknownUsersAndMoviesAreRefused()
    {
        TestModel written = Write(DefaultFill.Zero);
        using RecommenderModel model = written.Open();
        ItemBasedPredictions predictions = ItemBasedPredictions.FromRatings(model, Train);

        Assert.False(predictions.Contains(999));
        Assert.True(predictions.Contains(31));
        var user = Assert.Throws<ArgumentException>(() => predictions.Recommend(999, 5));
        Assert.Contains("user 999", user.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => predictions.PredictUser(999));
        var movie = Assert.Throws<ArgumentException>(() => predictions.Predict(31, 4));
        Assert.Contains("movie 4", movie.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => predictions.Recommend(31, -1));

        var trainUser = Assert.Throws<ArgumentException>(() => ItemBasedPredictions.FromRatings(model, [.. Train, new Rating(77, 1, 3f, 0)]));
        Assert.Contains("user 77", trainUser.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ItemBasedPredictions.FromRatings(model, [new Rating(31, 1, 6f, 0)]));
    }

    [Fact]
    public void UserBasedModelsAreRefused()
    {
        using RecommenderModel model = TestModels.Write(_dir.Root, new ModelSpec()).Open();
        Assert.Throws<ArgumentException>(() => ItemBasedPredictions.FromRatings(model, []));
    }

    private TestModel Write(DefaultFill fill) =>
        TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = UserIds, Fill = fill, Hidden = [4], HiddenActivation = "elu" }, $"item-{fill}.onnx");
}
