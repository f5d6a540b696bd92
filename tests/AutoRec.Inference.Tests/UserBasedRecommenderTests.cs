namespace AutoRec.Inference.Tests;

/// <summary>A user-based model recommends to a training user by id exactly as to the same user given by their ratings.</summary>
public sealed class UserBasedRecommenderTests : IDisposable
{
    private static readonly Rating[] Train =
    [
        new(1, 101, 5f, 0), new(1, 7, 3f, 0), new(2, 55, 1f, 0), new(2, 250, 4f, 0), new(2, 9, 2f, 0), new(3, 18, 4f, 0),
    ];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void KnownUsersAreServedFromTheirTrainingRatings()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Hidden = [6], Seed = 3 });
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, Train);

        Assert.Equal([1, 2, 3], recommender.UserIds);
        Assert.Equal(written.Spec.Ids, recommender.MovieIds);
        foreach (int userId in recommender.UserIds)
        {
            Dictionary<int, float> ratings = Train.Where(r => r.UserId == userId).ToDictionary(r => r.MovieId, r => r.Value);
            float[] reference = written.Reference(ratings);
            Assert.Equal(reference, recommender.PredictUser(userId), Tolerance.Comparer);
            Assert.Equal(reference[Array.IndexOf(written.Spec.Ids, 250)], recommender.Predict(userId, 250), Tolerance.Value);
            Assert.Equal(recommender.Recommend(ratings, 4), recommender.Recommend(userId, 4));
            Assert.DoesNotContain(recommender.Recommend(userId, 10), r => ratings.ContainsKey(r.MovieId));
        }
    }

    [Fact]
    public void NewUsersArePredictedForTheMoviesAsked()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Hidden = [6], Seed = 3 });
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, Train);
        var ratings = new Dictionary<int, float> { [101] = 4f, [9] = 2f, [55] = 0f };

        int[] asked = [250, 9, 3, 250];
        float[] predicted = recommender.Predict(ratings, asked);

        float[] reference = written.Reference(ratings);
        Assert.Equal(asked.Select(m => reference[Array.IndexOf(written.Spec.Ids, m)]), predicted, Tolerance.Comparer);
        Assert.Empty(recommender.Predict(ratings, []));
        var unknown = Assert.Throws<ArgumentException>(() => recommender.Predict(ratings, [8, 3, 4]));
        Assert.Contains("movie 8, movie 4 are not in the recommender", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => recommender.Predict(new Dictionary<int, float> { [42] = 3f }, [3]));
    }

    [Fact]
    public void UnknownUsersAndMoviesAreRefused()
    {
        using RecommenderModel model = TestModels.Write(_dir.Root, new ModelSpec()).Open();
        IRecommender recommender = Recommender.Create(model, Train);

        Assert.True(recommender.ContainsUser(2));
        Assert.False(recommender.ContainsUser(4));
        Assert.True(recommender.ContainsMovie(250));
        Assert.False(recommender.ContainsMovie(8));
        var user = Assert.Throws<ArgumentException>(() => recommender.Recommend(4, 5));
        Assert.Contains("user 4", user.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => recommender.PredictUser(4));
        var movie = Assert.Throws<ArgumentException>(() => recommender.Predict(1, 8));
        Assert.Contains("movie 8", movie.Message, StringComparison.Ordinal);
        var trainMovie = Assert.Throws<ArgumentException>(() => Recommender.Create(model, [new Rating(1, 8, 4f, 0)]));
        Assert.Contains("movie 8", trainMovie.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SideFeaturesDescribeUsers()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { SideWidth = 2 });
        using RecommenderModel model = written.Open();
        var side = new Dictionary<int, float[]> { [1] = [1f, 0f], [2] = [0f, 1f], [3] = [1f, 1f] };
        IRecommender recommender = Recommender.Create(model, Train, sideFeatures: side);

        float[] reference = written.Reference(Train.Where(r => r.UserId == 2).ToDictionary(r => r.MovieId, r => r.Value), side[2]);
        Assert.Equal(reference, recommender.PredictUser(2), Tolerance.Comparer);
        Assert.Equal(
            recommender.Recommend(2, 3),
            recommender.Recommend(Train.Where(r => r.UserId == 2).ToDictionary(r => r.MovieId, r => r.Value), 3, side[2]));
        Assert.Throws<ArgumentException>(() => Recommender.Create(model, Train, sideFeatures: new Dictionary<int, float[]> { [1] = [1f, 0f, 1f], [2] = [0f, 1f], [3] = [1f, 1f] }));
    }
}
