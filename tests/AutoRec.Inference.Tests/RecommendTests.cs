namespace AutoRec.Inference.Tests;

/// <summary>
/// Top-N of a user-based model for a user given by their ratings: leaves out what the user rated, is sorted best
/// first with ties by movie id, and carries titles.
/// </summary>
public sealed class RecommendTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SkipsRatedMoviesAndSortsByScore()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Ids = Enumerable.Range(1, 30).Select(i => i * 3).ToArray(), Seed = 5 });
        using RecommenderModel model = written.Open();
        var ratings = new Dictionary<int, float> { [3] = 5f, [30] = 2f, [90] = 4f };

        IReadOnlyList<Recommendation> top = Recommender.Create(model, []).Recommend(ratings, 10);

        float[] reference = written.Reference(ratings);
        Recommendation[] expected = written.Spec.Ids
            .Select((id, i) => new Recommendation(id, reference[i], null))
            .Where(r => !ratings.ContainsKey(r.MovieId))
            .OrderByDescending(r => r.Score).ThenBy(r => r.MovieId)
            .Take(10).ToArray();
        Assert.Equal(10, top.Count);
        Assert.Equal(expected.Select(r => r.MovieId), top.Select(r => r.MovieId));
        Assert.Equal(expected.Select(r => r.Score), top.Select(r => r.Score), Tolerance.Comparer);
        Assert.DoesNotContain(top, r => ratings.ContainsKey(r.MovieId));
        Assert.True(top.Zip(top.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.All(top, r => Assert.Null(r.Title));
    }

    [Fact]
    public void ReturnsEverythingUnratedWhenNExceedsIt()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec());
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, []);
        var ratings = new Dictionary<int, float> { [101] = 5f, [3] = 2f };
        IReadOnlyList<Recommendation> all = recommender.Recommend(ratings, 100);
        Assert.Equal(5, all.Count);
        Assert.Equal(recommender.Recommend(ratings, 2), all.Take(2));
        Assert.Empty(recommender.Recommend(ratings, 0));
    }

    [Fact]
    public void TiesAreOrderedByMovieId()
    {
        // On a scale of 0.5..1 nearly every prediction clips to 1: many equal scores.
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Ids = [40, 10, 30, 20, 60, 50, 70, 5], RatingMin = 0.5f, RatingMax = 1f });
        using RecommenderModel model = written.Open();
        IReadOnlyList<Recommendation> top = Recommender.Create(model, []).Recommend(new Dictionary<int, float>(), 8);
        Assert.Contains(top.Zip(top.Skip(1)), p => p.First.Score == p.Second.Score);
        foreach ((Recommendation first, Recommendation second) in top.Zip(top.Skip(1)))
        {
            Assert.True(first.Score > second.Score || (first.Score == second.Score && first.MovieId < second.MovieId), $"{first} before {second}");
        }
    }

    [Fact]
    public void TitlesComeFromTheCatalog()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec());
        MovieCatalog catalog = MovieCatalog.From(written.Spec.Ids.Where(id => id != 9).Select(id => new Movie(id, $"Movie {id} (1999)", "Drama")));
        using RecommenderModel model = written.Open();

        IReadOnlyList<Recommendation> top = Recommender.Create(model, [], catalog).Recommend(new Dictionary<int, float> { [7] = 3f }, 10);

        Assert.Equal(6, top.Count);
        Assert.All(top, r => Assert.Equal(r.MovieId == 9 ? null : $"Movie {r.MovieId} (1999)", r.Title));
        Assert.Equal(6, catalog.Count);
        Assert.Equal("Drama", catalog.Find(101)?.Genres);
        Assert.Null(catalog.TitleOf(9));
    }

    [Fact]
    public void OneFactoryServesBothKinds()
    {
        // The same calls recommend by user id, or for a user given by their ratings, with either kind.
        Rating[] train = [new(101, 7, 4f, 0), new(101, 55, 2f, 0), new(7, 3, 5f, 0), new(55, 7, 3f, 0)];
        using RecommenderModel user = TestModels.Write(_dir.Root, new ModelSpec(), "user.onnx").Open();
        using RecommenderModel item = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased }, "item.onnx").Open();

        foreach (IRecommender recommender in new[] { Recommender.Create(user, train), Recommender.Create(item, train) })
        {
            IReadOnlyList<Recommendation> top = recommender.Recommend(101, 3);
            Assert.NotEmpty(top);
            Assert.DoesNotContain(top, r => r.MovieId is 7 or 55);
            Assert.True(recommender.CanRecommendForRatings); // item-based with a linear output: by folding the user in
            IReadOnlyList<Recommendation> forRatings = recommender.Recommend(new Dictionary<int, float> { [7] = 4f, [55] = 2f }, 3);
            Assert.NotEmpty(forRatings);
            Assert.DoesNotContain(forRatings, r => r.MovieId is 7 or 55);
        }

        Assert.Equal(ModelKind.UserBased, Recommender.Create(user, train).Kind);
        Assert.Equal(ModelKind.ItemBased, Recommender.Create(item, train).Kind);
    }
}
