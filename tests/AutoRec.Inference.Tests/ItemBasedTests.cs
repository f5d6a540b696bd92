using AutoRec.Data;
using AutoRec.Onnx;

namespace AutoRec.Inference.Tests;

/// <summary>Item-based models serve users through factors: movie codes computed once from every movie's row, the output layer's rows.</summary>
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

        IRecommender recommender = Recommender.Create(model, Train);

        Assert.Equal([1, 2, 3, 5], recommender.MovieIds);
        Assert.Equal(UserIds, recommender.UserIds);
        foreach (int movie in recommender.MovieIds)
        {
            float[] reference = written.Reference(Train.Where(r => r.MovieId == movie).ToDictionary(r => r.UserId, r => r.Value));
            for (int u = 0; u < UserIds.Length; u++)
            {
                Assert.Equal(reference[u], recommender.Predict(UserIds[u], movie), Tolerance.Value);
                Assert.Equal(reference[u], recommender.PredictUser(UserIds[u])[IndexOf(recommender.MovieIds, movie)], Tolerance.Value);
            }
        }
    }

    [Fact]
    public void RecommendSkipsTheUsersTrainingRatings()
    {
        TestModel written = Write(DefaultFill.Zero);
        using RecommenderModel model = written.Open();
        Rating[] train = [.. Train, new(31, 7, 4f, 0), new(12, 9, 2f, 0)];
        MovieCatalog catalog = MovieCatalog.From([new Movie(7, "Seven", "Crime")]);
        IRecommender recommender = Recommender.Create(model, train, catalog);

        IReadOnlyList<Recommendation> top = recommender.Recommend(8, 10);

        float[] all = recommender.PredictUser(8);
        int[] expected = recommender.MovieIds.Where(m => m is not 2 and not 5)
            .OrderByDescending(m => all[IndexOf(recommender.MovieIds, m)]).ThenBy(m => m).ToArray();
        Assert.Equal(expected, top.Select(r => r.MovieId));
        Assert.Equal(4, top.Count);
        Assert.Equal("Seven", top.Single(r => r.MovieId == 7).Title);
        Assert.Null(top.Single(r => r.MovieId == 9).Title);
        Assert.Equal(2, recommender.Recommend(8, 2).Count);
    }

    [Fact]
    public void ParquetTrainingRatingsGiveTheSamePredictions()
    {
        // The way an app reads the training split: AutoRec.Data's ParquetTables, then the records.
        TestModel written = Write(DefaultFill.RowMean);
        using RecommenderModel model = written.Open();
        string path = _dir.PathOf("train.parquet");
        ParquetTables.WriteRatings(path, Train);
        IRecommender fromFile = Recommender.Create(model, ParquetTables.ReadRatings(path));
        IRecommender fromRatings = Recommender.Create(model, Train);
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
        Assert.Throws<ArgumentException>(() => Recommender.Create(model, Train));
        var missing = Assert.Throws<ArgumentException>(() => Recommender.Create(model, Train, sideFeatures: new Dictionary<int, float[]> { [1] = [1f, 0f] }));
        Assert.Contains("movie 2", missing.Message, StringComparison.Ordinal);

        IRecommender recommender = Recommender.Create(model, Train, sideFeatures: side);

        float[] reference = written.Reference(Train.Where(r => r.MovieId == 3).ToDictionary(r => r.UserId, r => r.Value), side[3]);
        Assert.Equal(reference[Array.IndexOf(UserIds, 44)], recommender.Predict(44, 3), Tolerance.Value);
    }

    [Fact]
    public void UnknownUsersAndMoviesAreRefused()
    {
        TestModel written = Write(DefaultFill.Zero);
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, Train);

        Assert.False(recommender.ContainsUser(999));
        Assert.True(recommender.ContainsUser(31));
        Assert.True(recommender.ContainsMovie(5));
        Assert.False(recommender.ContainsMovie(4));
        var user = Assert.Throws<ArgumentException>(() => recommender.Recommend(999, 5));
        Assert.Contains("user 999", user.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => recommender.PredictUser(999));
        Assert.Throws<ArgumentException>(() => recommender.Predict(999, 1));
        var movie = Assert.Throws<ArgumentException>(() => recommender.Predict(31, 4));
        Assert.Contains("movie 4", movie.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend(31, -1));

        var trainUser = Assert.Throws<ArgumentException>(() => Recommender.Create(model, [.. Train, new Rating(77, 1, 3f, 0)]));
        Assert.Contains("user 77", trainUser.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Recommender.Create(model, [new Rating(31, 1, 6f, 0)]));
    }

    [Fact]
    public void OnlyLinearOutputModelsRecommendForRatings()
    {
        // A linear output layer lets a new user be folded in; any other activation does not (and says so).
        using RecommenderModel linear = Write(DefaultFill.Zero).Open();
        IRecommender foldsIn = Recommender.Create(linear, Train);
        Assert.Equal(ModelKind.ItemBased, foldsIn.Kind);
        Assert.True(foldsIn.CanRecommendForRatings);
        Assert.Equal([3, 5], foldsIn.Recommend(new Dictionary<int, float> { [1] = 4f, [2] = 2f }, 3).Select(r => r.MovieId).Order());

        using RecommenderModel sigmoid = TestModels.Write(
            _dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = UserIds, OutputActivation = Activation.Elu }, "item-elu.onnx").Open();
        IRecommender recommender = Recommender.Create(sigmoid, Train);
        Assert.False(recommender.CanRecommendForRatings);
        var error = Assert.Throws<NotSupportedException>(() => recommender.Recommend(new Dictionary<int, float> { [1] = 4f }, 3));
        Assert.Contains("item-based", error.Message, StringComparison.Ordinal);
        Assert.Contains("identity", error.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => recommender.Predict(new Dictionary<int, float> { [1] = 4f }, [1]));
    }

    private TestModel Write(DefaultFill fill) =>
        TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = UserIds, Fill = fill, Hidden = [4], HiddenActivation = Activation.Elu }, $"item-{fill}.onnx");

    private static int IndexOf(IReadOnlyList<int> ids, int id) => ids.ToList().IndexOf(id);
}
