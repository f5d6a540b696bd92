using AutoRec.Inference.FoldIn;
using AutoRec.Inference.Recommenders;

namespace AutoRec.Inference.Tests;

/// <summary>
/// A new user folded into an item-based model gets the ridge fit of their decoder row and bias to the codes of the
/// movies they rated, with the λ training's loss implies: equal to the normal equations solved independently.
/// </summary>
public sealed class FoldInTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("masked-sse", 2)] // the dual (2 ratings, 3 hidden units)
    [InlineData("masked-sse", 9)] // the primal (9 ratings > 3 units)
    [InlineData("masked-mse", 2)]
    [InlineData("masked-mse", 9)]
    public void FoldInIsTheClosedFormRidgeSolution(string loss, int given)
    {
        var spec = new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [3], L2Decoder = 0.4, Loss = loss, BatchSize = 5 };
        TestModel written = TestModels.Write(_dir.Root, spec);
        Rating[] train = FactorFixture.Ratings(4, FactorFixture.WholeStars);
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, train);
        int[] movies = [.. recommender.MovieIds];
        Dictionary<int, float> ratings = movies.Take(given).Select((m, i) => (m, (float)(1 + (i * 3 % 5)))).ToDictionary(p => p.m, p => p.Item2);

        float[] predicted = recommender.Predict(ratings, movies);

        // λ as FoldInPrior documents it: sse counts the penalty once per batch (12 movies in batches of 5: 3);
        // mse weighs each rating by 1 / (the movie's training ratings + 1) against λ = l2 · rows.
        bool mse = loss == "masked-mse";
        double lambda = mse ? 0.4 * movies.Length : 0.4 * 3;
        Dictionary<int, double[]> codes = movies.ToDictionary(m => m, m => FactorFixture.Code(written, train, m));
        int[] rated = [.. ratings.Keys];
        (double[] w, double b) = FactorFixture.Ridge(
            [.. rated.Select(m => codes[m])],
            [.. rated.Select(m => (double)ratings[m])],
            [.. rated.Select(m => mse ? 1.0 / (train.Count(r => r.MovieId == m) + 1) : 1.0)],
            lambda);
        float[] expected = [.. movies.Select(m => (float)Math.Clamp(FactorFixture.Dot(w, codes[m]) + b, 1, 5))];
        Assert.Equal(expected, predicted, new Within(1e-4f));
        Assert.Equal(lambda, ((ItemBasedRecommender)recommender).Prior.Lambda, 1e-9);
    }

    [Theory]
    [InlineData(70, 40, false)] // the dual: 40 ratings, 70 units (three 16-column blocks and a tail)
    [InlineData(70, 150, false)] // the primal: 72 rows of Zᵀ Z in two strips
    [InlineData(70, 150, true)]
    [InlineData(130, 200, true)] // the primal: three strips, a 4 x 64 block and 16-column blocks
    public void SolveAtRealWidthsIsTheClosedFormRidgeSolution(int width, int given, bool weighted)
    {
        var random = new Random(width + given);
        const int count = 300;
        float[] values = [.. Enumerable.Range(0, count * width).Select(_ => (float)(random.NextDouble() - 0.5))];
        var codes = new MovieVectors(values, count, width);
        int[] movies = [.. Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(given)];
        float[] ratings = [.. movies.Select(_ => (float)random.Next(1, 6))];
        float[] weights = weighted ? [.. movies.Select(_ => (float)(0.2 + random.NextDouble()))] : [];
        const double lambda = 0.7;
        var w = new float[width];

        float b = RidgeFoldIn.Solve(codes, movies, ratings, weights, lambda, w);

        (double[] expectedW, double expectedB) = FactorFixture.Ridge(
            [.. movies.Select(m => codes.Row(m).ToArray().Select(v => (double)v).ToArray())],
            [.. ratings.Select(r => (double)r)],
            weighted ? [.. weights.Select(a => (double)a)] : [.. movies.Select(_ => 1.0)],
            lambda);
        Assert.Equal(expectedB, b, 1e-3);
        Assert.All(Enumerable.Range(0, width), q => Assert.Equal(expectedW[q], w[q], 1e-3));
    }

    [Fact]
    public void TopNForRatingsRanksTheFoldedInPredictions()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [4], L2Decoder = 0.1, Loss = "masked-sse" });
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, FactorFixture.Ratings(6, FactorFixture.WholeStars));
        var ratings = new Dictionary<int, float> { [5] = 5f, [13] = 1f, [40] = 4f, [2] = 0f };

        IReadOnlyList<Recommendation> top = recommender.Recommend(ratings, 100);

        float[] all = recommender.Predict(ratings, recommender.MovieIds);
        int[] expected = [.. recommender.MovieIds.Select((m, i) => (m, all[i])).Where(p => p.m is not 5 and not 13 and not 40)
            .OrderByDescending(p => p.Item2).ThenBy(p => p.m).Select(p => p.m)];
        Assert.Equal(expected, top.Select(r => r.MovieId)); // movie 2 (rated 0: unknown) stays a candidate
        Assert.Equal(9, top.Count);
        Assert.Equal(top.Select(r => r.Score), expected.Select(m => all[Array.IndexOf([.. recommender.MovieIds], m)]));
    }

    [Fact]
    public void AUserWithoutRatingsIsTheAverageTrainedUser()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [4] });
        Rating[] train = FactorFixture.Ratings(8, FactorFixture.WholeStars);
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, train);

        float[] predicted = recommender.Predict(new Dictionary<int, float> { [1] = 0f }, recommender.MovieIds);

        AutoRec.Onnx.DenseLayer output = written.Weights.Layers[^1];
        double[] meanRow = [.. Enumerable.Range(0, 4).Select(k => Enumerable.Range(0, output.Outputs).Average(u => output.Weight[(u * 4) + k]))];
        double meanBias = output.Bias.Average(b => (double)b);
        float[] expected = [.. recommender.MovieIds.Select(m => (float)Math.Clamp(FactorFixture.Dot(meanRow, FactorFixture.Code(written, train, m)) + meanBias, 1, 5))];
        Assert.Equal(expected, predicted, new Within(1e-4f));
    }

    [Fact]
    public void BadRatingsAreRefused()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users });
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, FactorFixture.Ratings(1, FactorFixture.WholeStars));

        // Unknown movies are all named, even rated 0; a user's ratings are by movie id, not user id.
        var unknown = Assert.Throws<ArgumentException>(() => recommender.Recommend(new Dictionary<int, float> { [5] = 4f, [999] = 3f, [4] = 0f }, 3));
        Assert.Contains("movie 4, movie 999 are not in the recommender", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("ratings", unknown.ParamName);
        var scale = Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend(new Dictionary<int, float> { [5] = 6f }, 3));
        Assert.Contains("movie 5", scale.Message, StringComparison.Ordinal);
        Assert.Contains("1..5", scale.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => recommender.Recommend(new Dictionary<int, float> { [5] = float.NaN }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend(new Dictionary<int, float> { [5] = 4f }, -1));
        var side = Assert.Throws<ArgumentException>(() => recommender.Recommend(new Dictionary<int, float> { [5] = 4f }, 3, [1f]));
        Assert.Contains("side features describe movies", side.Message, StringComparison.Ordinal);
        var movies = Assert.Throws<ArgumentException>(() => recommender.Predict(new Dictionary<int, float> { [5] = 4f }, [1, 77, 78]));
        Assert.Contains("movie 77, movie 78", movies.Message, StringComparison.Ordinal);
        Assert.Equal("movieIds", movies.ParamName);
        Assert.Throws<ArgumentNullException>(() => recommender.Recommend((IReadOnlyDictionary<int, float>)null!, 3));
    }

    [Fact]
    public void ThePriorFollowsTheTrainingLoss()
    {
        // The default model: masked-sse, l2_decoder 5, batches of 256 over ML-1M's 3,706 movies: 15 batches.
        FoldInPrior sse = FoldInPrior.From("""{"loss": "masked-sse", "l2_decoder": 5, "batch_size": 256}""", 3706, "m");
        Assert.Equal(75, sse.Lambda, 1e-9);
        Assert.False(sse.WeightsByMovieCount);
        FoldInPrior mse = FoldInPrior.From("""{"loss": "masked-mse", "l2_decoder": 5, /* a comment */ "batch_size": 256,}""", 3706, "m");
        Assert.Equal(5 * 3706, mse.Lambda, 1e-9);
        Assert.True(mse.WeightsByMovieCount);

        // Training's defaults: masked-mse, no L2 (the floor keeps the system solvable).
        FoldInPrior defaults = FoldInPrior.From("""{"name": "x"}""", 10, "m");
        Assert.Equal(FoldInPrior.MinimumLambda, defaults.Lambda);
        Assert.True(defaults.WeightsByMovieCount);

        foreach (string bad in new[] { "[1]", "not json", """{"loss": "hinge"}""", """{"l2_decoder": "big"}""", """{"l2_decoder": -1}""", """{"batch_size": 0}""" })
        {
            var error = Assert.Throws<ModelFormatException>(() => FoldInPrior.From(bad, 10, "m.onnx"));
            Assert.Equal(ModelErrorCodes.BadMetadata, error.Code);
            Assert.Contains(ModelMetadataKeys.Config, error.Message, StringComparison.Ordinal);
        }
    }

    private sealed class Within(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
