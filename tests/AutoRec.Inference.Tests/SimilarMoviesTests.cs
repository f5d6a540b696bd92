namespace AutoRec.Inference.Tests;

/// <summary>
/// Similar movies rank by the cosine of the movies' vectors centred on their mean: an item-based model's codes, a
/// user-based model's output-layer rows; the movie itself is left out and a query applies.
/// </summary>
public sealed class SimilarMoviesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ItemBasedModelsCompareMovieCodes()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [5], HiddenActivation = Activation.Tanh });
        Rating[] train = FactorFixture.Ratings(12, FactorFixture.WholeStars);
        MovieCatalog catalog = MovieCatalog.From([new Movie(13, "Thirteen", "Drama")]);
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, train, catalog);
        Dictionary<int, double[]> codes = FactorFixture.Centred(recommender.MovieIds.ToDictionary(m => m, m => FactorFixture.Code(written, train, m)));

        foreach (int movie in recommender.MovieIds)
        {
            IReadOnlyList<SimilarMovie> similar = recommender.SimilarMovies(movie, 100);

            (int Id, double Cosine)[] expected = [.. codes.Where(p => p.Key != movie).Select(p => (p.Key, FactorFixture.Cosine(codes[movie], p.Value)))
                .OrderByDescending(p => p.Item2).ThenBy(p => p.Key)];
            Assert.Equal(expected.Select(p => p.Id), similar.Select(s => s.MovieId));
            Assert.Equal(expected.Select(p => (float)p.Cosine), similar.Select(s => s.Similarity), Tolerance.Comparer);
        }

        Assert.Equal("Thirteen", recommender.SimilarMovies(1, 100).Single(s => s.MovieId == 13).Title);
    }

    [Fact]
    public void UserBasedModelsCompareOutputRows()
    {
        int[] movies = [101, 7, 55, 3, 250, 18, 9];
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Ids = movies, Hidden = [4, 2, 3] });
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, []);
        AutoRec.Onnx.DenseLayer output = written.Weights.Layers[^1];
        Dictionary<int, double[]> rows = FactorFixture.Centred(movies.ToDictionary(m => m, m => output.Weight.Skip(Array.IndexOf(movies, m) * 3).Take(3).Select(v => (double)v).ToArray()));
        double[] RowOf(int movie) => rows[movie];

        IReadOnlyList<SimilarMovie> similar = recommender.SimilarMovies(55, 10);

        int[] expected = [.. movies.Where(m => m != 55).OrderByDescending(m => FactorFixture.Cosine(RowOf(55), RowOf(m))).ThenBy(m => m)];
        Assert.Equal(expected, similar.Select(s => s.MovieId));
        Assert.Equal((float)FactorFixture.Cosine(RowOf(55), RowOf(expected[0])), similar[0].Similarity, 1e-5f);
    }

    [Theory]
    [InlineData(ModelKind.ItemBased)]
    [InlineData(ModelKind.UserBased)]
    public void QueriesApplyAndBadInputIsRefused(ModelKind kind)
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = kind, Ids = kind == ModelKind.ItemBased ? FactorFixture.Users : FactorFixture.Movies });
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, kind == ModelKind.ItemBased ? FactorFixture.Ratings(1, FactorFixture.WholeStars) : []);
        IReadOnlyList<SimilarMovie> all = recommender.SimilarMovies(5, 100);
        Assert.Equal(FactorFixture.Movies.Length - 1, all.Count);
        Assert.DoesNotContain(all, s => s.MovieId == 5);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Similarity >= p.Second.Similarity));

        IReadOnlyList<SimilarMovie> page = recommender.SimilarMovies(5, new RecommendationQuery { Count = 2, Offset = 1, Exclude = [all[1].MovieId], Filter = id => id != 40 });
        Assert.Equal(all.Where(s => s.MovieId != all[1].MovieId && s.MovieId != 40).Skip(1).Take(2), page);

        var unknown = Assert.Throws<ArgumentException>(() => recommender.SimilarMovies(4, 3));
        Assert.Contains("movie 4", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.SimilarMovies(5, -1));
        Assert.Throws<ArgumentException>(() => recommender.SimilarMovies(5, new RecommendationQuery { Exclude = [4] }));
    }
}
