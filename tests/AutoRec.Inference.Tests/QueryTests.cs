namespace AutoRec.Inference.Tests;

/// <summary>
/// A <see cref="RecommendationQuery"/> pages, excludes and filters a top-N list the same way for both kinds of model,
/// for known users and for users given by their ratings.
/// </summary>
public sealed class QueryTests : IDisposable
{
    private static readonly Rating[] UserTrain = [new(1, 10, 5f, 0), new(1, 7, 3f, 0), new(2, 25, 1f, 0), new(2, 3, 4f, 0)];

    private readonly TempDir _dir = new();
    private readonly RecommenderModel _item;
    private readonly RecommenderModel _user;

    public QueryTests()
    {
        _item = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [4], Seed = 2 }, "item.onnx").Open();
        _user = TestModels.Write(_dir.Root, new ModelSpec { Ids = [.. Enumerable.Range(1, 40)], Hidden = [6], Seed = 4 }, "user.onnx").Open();
    }

    public void Dispose()
    {
        _item.Dispose();
        _user.Dispose();
        _dir.Dispose();
    }

    /// <summary>Each kind's recommender with a way to ask it for one user (a known one, or one given by ratings).</summary>
    public static TheoryData<string> Askers => ["item-user", "item-ratings", "user-user", "user-ratings"];

    [Theory]
    [MemberData(nameof(Askers))]
    public void PagesFollowOneAnother(string asker)
    {
        (IRecommender recommender, Func<RecommendationQuery, IReadOnlyList<Recommendation>> ask) = Asker(asker);
        IReadOnlyList<Recommendation> all = ask(new RecommendationQuery { Count = 1000 });

        Recommendation[] paged = [.. Enumerable.Range(0, 5).SelectMany(page => ask(new RecommendationQuery { Count = 3, Offset = page * 3 }))];

        Assert.Equal(all.Take(15), paged);
        Assert.Equal(all.Skip(4).Take(2), ask(new RecommendationQuery { Count = 2, Offset = 4 }));
        Assert.Empty(ask(new RecommendationQuery { Count = 3, Offset = all.Count }));
        Assert.Empty(ask(new RecommendationQuery { Count = 3, Offset = int.MaxValue }));
        Assert.Equal(all, ask(new RecommendationQuery { Count = int.MaxValue }));
        Assert.Empty(ask(new RecommendationQuery { Count = 0, Offset = 2 }));
        Assert.True(all.Count < recommender.MovieIds.Count); // the rated movies are left out
    }

    [Theory]
    [MemberData(nameof(Askers))]
    public void ExclusionsAndFiltersLeaveMoviesOut(string asker)
    {
        (IRecommender recommender, Func<RecommendationQuery, IReadOnlyList<Recommendation>> ask) = Asker(asker);
        IReadOnlyList<Recommendation> all = ask(new RecommendationQuery { Count = 1000 });
        int[] excluded = [all[0].MovieId, all[2].MovieId];

        IReadOnlyList<Recommendation> without = ask(new RecommendationQuery { Count = 1000, Exclude = excluded });
        Assert.Equal(all.Where(r => !excluded.Contains(r.MovieId)), without);

        IReadOnlyList<Recommendation> odd = ask(new RecommendationQuery { Count = 3, Offset = 1, Filter = id => id % 2 == 1, Exclude = [excluded[0]] });
        Assert.Equal(all.Where(r => r.MovieId % 2 == 1 && r.MovieId != excluded[0]).Skip(1).Take(3), odd);

        var unknown = Assert.Throws<ArgumentException>(() => ask(new RecommendationQuery { Exclude = [all[0].MovieId, 9999, 8888] }));
        Assert.Contains("movie 8888, movie 9999", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("query", unknown.ParamName);
        Assert.False(recommender.ContainsMovie(9999));
    }

    [Fact]
    public void GenresFilterThroughTheCatalog()
    {
        MovieCatalog catalog = MovieCatalog.From(FactorFixture.Movies.Select(m => new Movie(m, $"Movie {m}", m % 3 == 0 ? "Comedy|Drama" : m % 3 == 1 ? "Horror" : "Drama")));
        IRecommender recommender = Recommender.Create(_item, FactorFixture.Ratings(9, FactorFixture.WholeStars), catalog);
        Assert.Equal(["Comedy", "Drama", "Horror"], catalog.Genres);

        IReadOnlyList<Recommendation> all = recommender.Recommend(31, 1000);
        IReadOnlyList<Recommendation> scary = recommender.Recommend(31, new RecommendationQuery { Count = 1000, Filter = catalog.GenreFilter(["horror"]) });
        IReadOnlyList<Recommendation> either = recommender.Recommend(31, new RecommendationQuery { Count = 1000, Filter = catalog.GenreFilter(["Comedy", "Horror"]) });

        Assert.Equal(all.Where(r => r.MovieId % 3 == 1), scary);
        Assert.Equal(all.Where(r => r.MovieId % 3 != 2), either);
        Assert.All(scary, r => Assert.Equal($"Movie {r.MovieId}", r.Title));
        Assert.Empty(recommender.Recommend(31, new RecommendationQuery { Filter = catalog.GenreFilter([]) }));
        var unknown = Assert.Throws<ArgumentException>(() => catalog.GenreFilter(["Western", "Drama", "Noir"]));
        Assert.Contains("'Western', 'Noir'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Comedy, Drama, Horror", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadQueriesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecommendationQuery { Count = -1 });
        var offset = Assert.Throws<ArgumentOutOfRangeException>(() => new RecommendationQuery { Offset = -3 });
        Assert.Equal("Offset", offset.ParamName);
        Assert.Equal(10, new RecommendationQuery().Count);
        IRecommender recommender = Recommender.Create(_user, UserTrain);
        Assert.Throws<ArgumentNullException>(() => recommender.Recommend(1, (RecommendationQuery)null!));
        Assert.Throws<ArgumentException>(() => recommender.Recommend(9, new RecommendationQuery()));
    }

    private (IRecommender Recommender, Func<RecommendationQuery, IReadOnlyList<Recommendation>> Ask) Asker(string asker)
    {
        var ratings = new Dictionary<int, float> { [1] = 5f, [5] = 2f, [13] = 4f };
        return asker switch
        {
            "item-user" => Ask(Recommender.Create(_item, FactorFixture.Ratings(9, FactorFixture.WholeStars)), r => q => r.Recommend(31, q)),
            "item-ratings" => Ask(Recommender.Create(_item, FactorFixture.Ratings(9, FactorFixture.WholeStars)), r => q => r.Recommend(ratings, q)),
            "user-user" => Ask(Recommender.Create(_user, UserTrain), r => q => r.Recommend(1, q)),
            _ => Ask(Recommender.Create(_user, UserTrain), r => q => r.Recommend(ratings, q)),
        };
    }

    private static (IRecommender, Func<RecommendationQuery, IReadOnlyList<Recommendation>>) Ask(
        IRecommender recommender, Func<IRecommender, Func<RecommendationQuery, IReadOnlyList<Recommendation>>> ask) => (recommender, ask(recommender));
}
