using System.Text.Json;

namespace AutoRec.Contracts.Tests;

/// <summary>blend.json round-trips and refuses what cannot be served; least-squares blend weights recover a known blend.</summary>
public sealed class BlendTests
{
    private static readonly BlendManifest Manifest = new(
        "item-user", 0.05, [new("item", "../members/item/model/model.onnx", 0.8) { ValidationRmse = 0.827 }, new("user", "/abs/user.onnx", 0.15)])
    {
        Dataset = "ml-1m",
        ValidationRatings = 90_000,
        ValidationRmse = 0.823,
    };

    [Fact]
    public void AManifestRoundTripsWithItsFormat()
    {
        string json = Manifest.ToJson();
        Assert.Contains("\"format\": \"autorec-blend/1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"validation_rmse\": 0.827", json, StringComparison.Ordinal);

        BlendManifest read = BlendManifest.Parse(json);
        Assert.Equal(Manifest.Members, read.Members);
        Assert.Equal(Manifest with { Members = read.Members }, read);
        Assert.Equal([0.05, 0.8, 0.15], read.Weights);
        Assert.True(double.IsNaN(read.Members[1].ValidationRmse));
    }

    [Theory]
    [InlineData("""{ "name": "b", "intercept": 0, "members": [] }""", "at least one member")]
    [InlineData("""{ "format": "autorec-blend/2", "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ] }""", "is not autorec-blend/1")]
    [InlineData("""{ "format": "autorec-blend/3", "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ] }""", "neither autorec-blend/1 nor autorec-blend/2")]
    [InlineData("""{ "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ], "support": { "user_center": 1, "movie_center": 1, "movie_ids": [], "movie_ratings": [], "terms": [ { "user_power": 1, "movie_power": 0, "intercept": 0, "weights": [1] } ], "user_range": [0, 1], "movie_range": [0, 1] } }""", "is not autorec-blend/2")]
    [InlineData("""{ "format": "autorec-blend/2", "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ], "support": { "user_center": 1, "movie_center": 1, "movie_ids": [1], "movie_ratings": [], "terms": [ { "user_power": 1, "movie_power": 0, "intercept": 0, "weights": [1] } ], "user_range": [0, 1], "movie_range": [0, 1] } }""", "the same length")]
    [InlineData("""{ "format": "autorec-blend/2", "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ], "support": { "user_center": 1, "movie_center": 1, "movie_ids": [], "movie_ratings": [], "terms": [ { "user_power": 1, "movie_power": 0, "intercept": 0, "weights": [1, 2] } ], "user_range": [0, 1], "movie_range": [0, 1] } }""", "1 finite weights, one per member")]
    [InlineData("""{ "format": "autorec-blend/2", "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ], "support": { "user_center": 1, "movie_center": 1, "movie_ids": [], "movie_ratings": [], "terms": [ { "user_power": 0, "movie_power": 0, "intercept": 0, "weights": [1] } ], "user_range": [0, 1], "movie_range": [0, 1] } }""", "not both 0")]
    [InlineData("""{ "format": "autorec-blend/2", "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ], "support": { "user_center": 1, "movie_center": 1, "movie_ids": [], "movie_ratings": [], "terms": [], "user_range": [0, 1], "movie_range": [0, 1] } }""", "at least one term")]
    [InlineData("""{ "name": "b", "intercept": "NaN", "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ] }""", "intercept NaN")]
    [InlineData("""{ "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": "Infinity" } ] }""", "member 'a': weight")]
    [InlineData("""{ "name": "b", "intercept": 0, "members": [ { "name": "a", "model": "a.onnx", "weight": 1 }, { "name": "a", "model": "b.onnx", "weight": 1 } ] }""", "'a' is used twice")]
    [InlineData("""{ "name": "b", "intercept": 0, "members": [ { "name": "a", "model": " ", "weight": 1 } ] }""", "member 1 needs a name and a model path")]
    public void ManifestsThatCannotBeServedAreRefused(string json, string reason)
    {
        var error = Assert.Throws<JsonException>(() => BlendManifest.Parse(json));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "b", "members": [ { "name": "a", "model": "a.onnx", "weight": 1 } ] }""")]
    [InlineData("""{ "name": "b", "intercept": 0, "members": [ { "name": "a", "weight": 1 } ] }""")]
    [InlineData("[]")]
    public void IncompleteManifestsAreRefused(string json) => Assert.ThrowsAny<JsonException>(() => BlendManifest.Parse(json));

    [Fact]
    public void MemberPathsAreTakenFromTheManifestsFolder()
    {
        string manifest = Path.Combine(Path.GetTempPath(), "blends", "x", "model", "blend.json");
        Assert.Equal(
            Path.Combine(Path.GetTempPath(), "blends", "x", "members", "item", "model", "model.onnx"),
            BlendManifest.ModelPath(manifest, Manifest.Members[0]));
        Assert.Equal("/abs/user.onnx", BlendManifest.ModelPath(manifest, Manifest.Members[1]));
    }

    [Fact]
    public void LeastSquaresRecoversTheBlendThatMadeTheTargets()
    {
        var random = new Random(3);
        float[] a = [.. Enumerable.Range(0, 200).Select(_ => (float)(1 + (4 * random.NextDouble())))];
        float[] b = [.. Enumerable.Range(0, 200).Select(_ => (float)(1 + (4 * random.NextDouble())))];
        float[] targets = [.. a.Select((x, i) => (float)(0.3 + (0.6 * x) + (0.25 * b[i])))];

        double[] weights = Blending.FitLeastSquares([a, b], targets);

        Assert.Equal(0.3, weights[0], 3);
        Assert.Equal(0.6, weights[1], 4);
        Assert.Equal(0.25, weights[2], 4);
        Assert.Equal(targets, Blending.Apply([a, b], weights), new Within(1e-3f));
    }

    [Fact]
    public void SupportWeightedLeastSquaresRecoversWeightsThatMoveWithTheUsersRatings()
    {
        // The true blend leans on member b for users with many ratings: w_b = 0.2 + 0.1 z_u, w_a = 0.7 - 0.1 z_u.
        var random = new Random(5);
        int n = 2000;
        int[] userRatings = [.. Enumerable.Range(0, n).Select(_ => random.Next(1, 500))];
        int[] movies = [.. Enumerable.Range(0, n).Select(_ => random.Next(1, 40))];
        var movieRatings = Enumerable.Range(1, 39).ToDictionary(m => m, m => m * 11);
        float[] a = [.. Enumerable.Range(0, n).Select(_ => (float)(1 + (4 * random.NextDouble())))];
        float[] b = [.. Enumerable.Range(0, n).Select(_ => (float)(1 + (4 * random.NextDouble())))];
        double center = userRatings.Average(c => Math.Log(1.0 + c));
        float[] targets = [.. Enumerable.Range(0, n).Select(i =>
        {
            double zu = Math.Log(1.0 + userRatings[i]) - center;
            return (float)(0.3 + ((0.7 - (0.1 * zu)) * a[i]) + ((0.2 + (0.1 * zu)) * b[i]));
        })];

        (double[] weights, BlendSupport support) = BlendSupport.Fit([a, b], targets, userRatings, movieRatings, movies, 2);

        Assert.Equal(center, support.UserCenter, 9);
        Assert.Equal([userRatings.Min(c => Math.Log(1.0 + c)), userRatings.Max(c => Math.Log(1.0 + c))], support.UserRange);
        Assert.Equal(support.UserFeature(userRatings.Max()), support.UserFeature(userRatings.Max() * 10)); // held to the range fit on
        Assert.True(double.IsFinite(support.UserFeature(userRatings.Min())));

        // A user lighter than any fit on is not extrapolated to: the base weights alone.
        Assert.True(double.IsNaN(support.UserFeature(userRatings.Min() - 1)));
        Assert.Equal(
            Blending.Combine(weights, [a[0], b[0]]),
            support.Predict(weights, [a[0], b[0]], support.UserFeature(0), support.MovieFeature(1)));
        Assert.Equal(4, support.Terms.Count); // z_u, z_u², z_m, z_m²
        Assert.Equal([1, 2, 0, 0], support.Terms.Select(t => t.UserPower));
        Assert.Equal([0.3, 0.7, 0.2], weights, new WithinDouble(2e-3));
        Assert.Equal([-0.1, 0.1], support.Terms[0].Weights, new WithinDouble(2e-3));
        Assert.All(support.Terms.Skip(1).SelectMany(t => t.Weights), w => Assert.Equal(0, w, 2e-3));
        Assert.Equal(Enumerable.Range(1, 39), support.MovieIds);
        Assert.Equal(11 * 39, support.MovieRatings[^1]);
        for (int i = 0; i < 50; i++)
        {
            double predicted = support.Predict(weights, [a[i], b[i]], support.UserFeature(userRatings[i]), support.MovieFeature(movieRatings[movies[i]]));
            Assert.Equal(targets[i], predicted, 2e-3);
        }

        // Many movies at once: the same sum as movie by movie in another order, for a user the fit covers and one it
        // does not (whose base weights alone are the same bits).
        double[] features = [.. movies.Take(50).Select(m => support.MovieFeature(movieRatings[m]))];
        MovieBlend many = support.ForMovies(weights, features);
        foreach (double user in new[] { support.UserFeature(userRatings[0]), support.UserFeature(userRatings.Max()), support.UserFeature(0) })
        {
            var blended = new float[50];
            many.Predict([a, b], user, blended);
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal(support.Predict(weights, [a[i], b[i]], user, features[i]), blended[i], 1e-5);
            }
        }

        Assert.Throws<ArgumentException>(() => many.Predict([a], support.UserFeature(userRatings[0]), new float[50]));

        // And it round-trips in blend.json as format 2.
        BlendManifest manifest = Manifest with { Format = BlendManifest.SupportFormat, Support = support };
        BlendManifest read = BlendManifest.Parse(manifest.ToJson());
        Assert.Equal(support.Terms.Select(t => t.Weights.ToArray()), read.Support!.Terms.Select(t => t.Weights.ToArray()));
        Assert.Equal(support.MovieRatings, read.Support.MovieRatings);
    }

    private sealed class WithinDouble(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public void ScoringClipsTheBlendToTheScale()
    {
        Rating[] targets = [new(1, 1, 5f, 0), new(2, 1, 1f, 0)];
        RmseResult rmse = Blending.Score([[6f, 0f]], [0, 1], targets, new RatingScale(1f, 5f, 1f));
        Assert.Equal(0, rmse.Global, 12);
    }

    private sealed class Within(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
