namespace AutoRec.Inference.Tests;

/// <summary>
/// A blend (blend.json) of an item-based and a user-based model serves clip(intercept + Σ w_k · member_k) of what each
/// member's own recommender serves, lines up members whose movies come in different orders, and refuses manifests and
/// members that do not fit.
/// </summary>
public sealed class BlendTests : IDisposable
{
    private const double Intercept = 0.4;
    private const double ItemWeight = 0.7;
    private const double UserWeight = 0.45;

    private readonly TempDir _dir = new();
    private readonly Rating[] _train = FactorFixture.Ratings(5, FactorFixture.WholeStars);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void KnownUsersGetTheWeightedSumOfTheMembersClipped()
    {
        string manifest = WriteBlend();
        using BlendedModel blend = BlendedModel.Open(manifest);
        IRecommender recommender = Recommender.Create(blend, _train);
        (IRecommender item, IRecommender user) = Members(blend);

        // The item-based member orders movies ascending, the user-based one as its model's ids (unsorted): the blend takes the first's.
        Assert.Equal(item.MovieIds, recommender.MovieIds);
        Assert.NotEqual(item.MovieIds, user.MovieIds);
        Assert.Equal(FactorFixture.Users.Order(), recommender.UserIds.Order());
        foreach (int userId in FactorFixture.Users)
        {
            float[] expected = Expected(item.PredictUser(userId), item.MovieIds, user.PredictUser(userId), user.MovieIds);
            Assert.Equal(expected, recommender.PredictUser(userId), Tolerance.Comparer);
            for (int m = 0; m < expected.Length; m += 3)
            {
                Assert.Equal(expected[m], recommender.Predict(userId, recommender.MovieIds[m]), Tolerance.Value);
            }

            HashSet<int> rated = [.. _train.Where(r => r.UserId == userId).Select(r => r.MovieId)];
            int[] best = MovieRanking.Select(recommender.MovieIds, expected, rated.Contains, RecommendationQuery.Top(4));
            Assert.Equal(best.Select(i => recommender.MovieIds[i]), recommender.Recommend(userId, 4).Select(r => r.MovieId));
            Assert.DoesNotContain(recommender.Recommend(userId, 100), r => rated.Contains(r.MovieId));
        }
    }

    [Fact]
    public void PairsArePredictedAsOneAtATimeByTheBlendAndEachMember()
    {
        string manifest = WriteBlend();
        using BlendedModel blend = BlendedModel.Open(manifest);
        IRecommender recommender = Recommender.Create(blend, _train);
        (IRecommender item, IRecommender user) = Members(blend);

        // Users interleaved and repeated, movies in no order: each answer lands at its own pair.
        var pairs = new List<(int UserId, int MovieId)>();
        for (int m = recommender.MovieIds.Count - 1; m >= 0; m -= 2)
        {
            foreach (int userId in FactorFixture.Users)
            {
                pairs.Add((userId, recommender.MovieIds[m]));
            }
        }

        foreach (IRecommender r in new[] { recommender, item, user })
        {
            float[] expected = [.. pairs.Select(p => r.Predict(p.UserId, p.MovieId))];
            Assert.Equal(expected, r.PredictPairs(pairs), Tolerance.Comparer);
            Assert.Empty(r.PredictPairs([]));
            int unknownUser = FactorFixture.Users.Max() + 1000;
            Assert.Throws<ArgumentException>(() => r.PredictPairs([pairs[0], (unknownUser, pairs[0].MovieId)]));
            Assert.Throws<ArgumentException>(() => r.PredictPairs([(pairs[0].UserId, -7)]));
        }
    }

    [Fact]
    public void ASupportWeightedBlendsWeightsFollowTheUsersAndTheMoviesNumberOfRatings()
    {
        // Terms z_u (user power 1) and z_m² (movie power 2); two movies get made-up counts, the rest none (z_m of 0 ratings).
        BlendManifest plain = BlendManifest.Read(WriteBlend());
        int[] countedMovies = [FactorFixture.Movies[0], FactorFixture.Movies[3]];
        var support = new BlendSupport(1.5, 2.0, countedMovies, [9, 30], [new BlendTerm(1, 0, 0.05, [0.1, -0.2]), new BlendTerm(0, 2, -0.03, [0.02, 0.04])], [0, 10], [0, 10]);
        string path = _dir.PathOf("model/blend.json");
        File.WriteAllText(path, (plain with { Format = BlendManifest.SupportFormat, Support = support }).ToJson());
        using BlendedModel blend = BlendedModel.Open(path);
        IRecommender recommender = Recommender.Create(blend, _train);
        (IRecommender item, IRecommender user) = Members(blend);

        float Expected(float itemPrediction, float userPrediction, int userRatings, int movieId)
        {
            double zu = Math.Log(1 + userRatings) - 1.5;
            int movieRatings = movieId == countedMovies[0] ? 9 : movieId == countedMovies[1] ? 30 : 0;
            double zm = Math.Log(1 + movieRatings) - 2.0;
            double sum = Intercept + (ItemWeight * itemPrediction) + (UserWeight * userPrediction)
                + (zu * (0.05 + (0.1 * itemPrediction) - (0.2 * userPrediction)))
                + (zm * zm * (-0.03 + (0.02 * itemPrediction) + (0.04 * userPrediction)));
            return Math.Clamp((float)sum, 1f, 5f);
        }

        var pairs = new List<(int UserId, int MovieId)>();
        foreach (int userId in FactorFixture.Users)
        {
            int count = _train.Count(r => r.UserId == userId && r.Value != 0);
            float[] expected = [.. recommender.MovieIds.Select(m => Expected(item.Predict(userId, m), user.Predict(userId, m), count, m))];
            Assert.Equal(expected, recommender.PredictUser(userId), Tolerance.Comparer);
            Assert.Equal(expected[3], recommender.Predict(userId, recommender.MovieIds[3]), Tolerance.Value);
            pairs.AddRange(recommender.MovieIds.Select(m => (userId, m)));
        }

        Assert.Equal([.. pairs.Select(p => recommender.Predict(p.UserId, p.MovieId))], recommender.PredictPairs(pairs), Tolerance.Comparer);

        // A user given by ratings counts the ratings given (the 0 is unknown, not counted).
        var ratings = new Dictionary<int, float> { [5] = 4f, [13] = 2f, [40] = 5f, [7] = 0f };
        int[] asked = [countedMovies[0], countedMovies[1], 21];
        float[] folded = [.. asked.Select(m => Expected(item.Predict(ratings, [m])[0], user.Predict(ratings, [m])[0], 3, m))];
        Assert.Equal(folded, recommender.Predict(ratings, asked), Tolerance.Comparer);
        float[] all = [.. recommender.MovieIds.Select(m => Expected(item.Predict(ratings, [m])[0], user.Predict(ratings, [m])[0], 3, m))];
        int[] best = MovieRanking.Select(recommender.MovieIds, all, id => id is 5 or 13 or 40, RecommendationQuery.Top(5));
        Assert.Equal(best.Select(i => recommender.MovieIds[i]), recommender.Recommend(ratings, 5).Select(r => r.MovieId));
        using BlendedModel unweighted = BlendedModel.Open(WriteBlend());
        Assert.NotEqual(recommender.PredictUser(FactorFixture.Users[0]), Recommender.Create(unweighted, _train).PredictUser(FactorFixture.Users[0]));
    }

    [Fact]
    public void PredictionsOffTheScaleAreClipped()
    {
        string manifest = WriteBlend(intercept: 4.5, itemWeight: 1, userWeight: 1);
        using BlendedModel blend = BlendedModel.Open(manifest);
        IRecommender recommender = Recommender.Create(blend, _train);

        float[] predictions = recommender.PredictUser(FactorFixture.Users[0]);
        Assert.All(predictions, p => Assert.Equal(5f, p));
        Assert.Equal(5f, recommender.Predict(new Dictionary<int, float> { [5] = 1f }, [3])[0]);
    }

    [Fact]
    public void UsersGivenByRatingsAreFoldedIntoEveryMember()
    {
        string manifest = WriteBlend();
        using BlendedModel blend = BlendedModel.Open(manifest);
        IRecommender recommender = Recommender.Create(blend, _train);
        (IRecommender item, IRecommender user) = Members(blend);
        var ratings = new Dictionary<int, float> { [5] = 4f, [13] = 2f, [40] = 5f, [7] = 0f };

        Assert.True(recommender.CanRecommendForRatings);
        int[] asked = [21, 3, 5, 21];
        float[] expected = [.. asked.Select((m, i) => Math.Clamp(
            (float)(Intercept + (ItemWeight * item.Predict(ratings, [m])[0]) + (UserWeight * user.Predict(ratings, [m])[0])), 1f, 5f))];
        Assert.Equal(expected, recommender.Predict(ratings, asked), Tolerance.Comparer);

        float[] all = Expected(item.Predict(ratings, item.MovieIds), item.MovieIds, user.Predict(ratings, user.MovieIds), user.MovieIds);
        int[] best = MovieRanking.Select(recommender.MovieIds, all, id => id is 5 or 13 or 40, RecommendationQuery.Top(5));
        IReadOnlyList<Recommendation> top = recommender.Recommend(ratings, 5);
        Assert.Equal(best.Select(i => recommender.MovieIds[i]), top.Select(r => r.MovieId));
        Assert.DoesNotContain(top, r => r.MovieId is 5 or 13 or 40);

        Assert.Throws<ArgumentException>(() => recommender.Predict(ratings, [5], [1f]));
        var unknown = Assert.Throws<ArgumentException>(() => recommender.Recommend(new Dictionary<int, float> { [999] = 3f }, 3));
        Assert.Contains("999", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SimilarMoviesAndKindAreTheFirstMembers()
    {
        using BlendedModel blend = BlendedModel.Open(WriteBlend());
        IRecommender recommender = Recommender.Create(blend, _train);
        (IRecommender item, _) = Members(blend);

        Assert.Equal(ModelKind.ItemBased, recommender.Kind);
        Assert.Equal(item.SimilarMovies(13, 4), recommender.SimilarMovies(13, 4));
    }

    [Fact]
    public void UnknownUsersAreRefusedByName()
    {
        using BlendedModel blend = BlendedModel.Open(WriteBlend());
        IRecommender recommender = Recommender.Create(blend, _train);

        Assert.False(recommender.ContainsUser(4242));
        var error = Assert.Throws<ArgumentException>(() => recommender.PredictUser(4242));
        Assert.Contains("user 4242 is not in the blend", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => recommender.Recommend(4242, 3));
        Assert.Throws<ArgumentException>(() => recommender.Predict(FactorFixture.Users[0], 999));
    }

    [Fact]
    public void BrokenManifestsAreModelFormatErrorsNamingTheFile()
    {
        string missing = _dir.PathOf("none/blend.json");
        Assert.Equal(ModelErrorCodes.MissingFile, Assert.Throws<ModelFormatException>(() => BlendedModel.Open(missing)).Code);

        string malformed = _dir.PathOf("malformed.json");
        File.WriteAllText(malformed, """{ "name": "x", "intercept": 0, "members": [] }""");
        var empty = Assert.Throws<ModelFormatException>(() => BlendedModel.Open(malformed));
        Assert.Equal(ModelErrorCodes.BadBlend, empty.Code);
        Assert.Equal(malformed, empty.ModelPath);
        Assert.Contains("at least one member", empty.Reason, StringComparison.Ordinal);

        string noMember = WriteManifest("lost.json", new BlendMember("item", "missing.onnx", 1));
        var lost = Assert.Throws<ModelFormatException>(() => BlendedModel.Open(noMember));
        Assert.Equal(ModelErrorCodes.MissingFile, lost.Code);
        Assert.Equal(_dir.PathOf("missing.onnx"), lost.ModelPath);
    }

    [Fact]
    public void MembersOnAnotherScaleOrDatasetAreRefused()
    {
        TestModels.Write(_dir.Root, ItemSpec, "item.onnx");
        TestModels.Write(_dir.Root, UserSpec with { RatingMax = 10f }, "user-10.onnx");
        TestModels.Write(_dir.Root, UserSpec with { Dataset = "other" }, "user-other.onnx");

        var scale = Assert.Throws<ModelFormatException>(() => BlendedModel.Open(
            WriteManifest("scale.json", new BlendMember("item", "item.onnx", 1), new BlendMember("user", "user-10.onnx", 1))));
        Assert.Equal(ModelErrorCodes.BadBlend, scale.Code);
        Assert.Contains("member 'user' rates on [1, 10]", scale.Reason, StringComparison.Ordinal);

        var dataset = Assert.Throws<ModelFormatException>(() => BlendedModel.Open(
            WriteManifest("dataset.json", new BlendMember("item", "item.onnx", 1), new BlendMember("user", "user-other.onnx", 1))));
        Assert.Contains("trained on other", dataset.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AMemberThatDoesNotScoreTheFirstMembersMoviesIsRefused()
    {
        // A user-based first member scores its model's movies, one of which (99) no training rating has: the item-based member cannot score it.
        TestModels.Write(_dir.Root, UserSpec with { Ids = [.. FactorFixture.Movies, 99] }, "user-99.onnx");
        TestModels.Write(_dir.Root, ItemSpec, "item.onnx");
        using BlendedModel blend = BlendedModel.Open(
            WriteManifest("wide.json", new BlendMember("user", "user-99.onnx", 1), new BlendMember("item", "item.onnx", 1)));

        var error = Assert.Throws<ModelFormatException>(() => Recommender.Create(blend, _train));
        Assert.Equal(ModelErrorCodes.BadBlend, error.Code);
        Assert.Contains("member 'item' does not score 1 movie(s) that 'user' does (ids 99)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UsersByRatingsAreRefusedFirstWhenAMemberCannotFoldThemIn()
    {
        // An item-based member with a sigmoid output cannot fold a user in: the blend says so before any member runs.
        TestModels.Write(_dir.Root, ItemSpec with { OutputActivation = Activation.Sigmoid, RatingMax = 1f, RatingMin = 0f }, "item-sigmoid.onnx");
        TestModels.Write(_dir.Root, UserSpec with { RatingMax = 1f, RatingMin = 0f }, "user-01.onnx");
        using BlendedModel blend = BlendedModel.Open(
            WriteManifest("sigmoid.json", new BlendMember("user", "user-01.onnx", 0.5), new BlendMember("item", "item-sigmoid.onnx", 0.5)));
        Rating[] train = [.. _train.Select(r => r with { Value = r.Value > 3 ? 1f : 0.5f })];
        IRecommender recommender = Recommender.Create(blend, train);

        Assert.False(recommender.CanRecommendForRatings);
        var ratings = new Dictionary<int, float> { [999] = 1f }; // an unknown movie too: NotSupported comes first
        Assert.Contains("member 2 cannot", Assert.Throws<NotSupportedException>(() => recommender.Recommend(ratings, 3)).Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => recommender.Predict(ratings, [5]));
        Assert.NotEmpty(recommender.Recommend(FactorFixture.Users[0], 3));
    }

    [Fact]
    public void AMemberFileThatChangedSinceTheFitIsRefused()
    {
        string manifest = WriteBlend();
        BlendManifest pinned = BlendManifest.Read(manifest);
        string itemPath = BlendManifest.ModelPath(manifest, pinned.Members[0]);
        string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(itemPath)));
        File.WriteAllText(manifest, (pinned with { Members = [pinned.Members[0] with { Sha256 = digest }, pinned.Members[1]] }).ToJson());
        using (BlendedModel.Open(manifest))
        {
            // The pinned file itself opens.
        }

        TestModels.Write(Path.GetDirectoryName(itemPath)!, ItemSpec with { Seed = 99 }, Path.GetFileName(itemPath));
        var error = Assert.Throws<ModelFormatException>(() => BlendedModel.Open(manifest));
        Assert.Equal(ModelErrorCodes.BadBlend, error.Code);
        Assert.Contains("member 'item'", error.Reason, StringComparison.Ordinal);
        Assert.Contains("is not the file the blend was fit with", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ANullMemberIsAManifestError()
    {
        string path = _dir.PathOf("null-member.json");
        File.WriteAllText(path, """{ "name": "b", "intercept": 0, "members": [ null ] }""");
        Assert.Equal(ModelErrorCodes.BadBlend, Assert.Throws<ModelFormatException>(() => BlendedModel.Open(path)).Code);
    }

    [Fact]
    public void DisposedBlendsAreRefused()
    {
        BlendedModel blend = BlendedModel.Open(WriteBlend());
        blend.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Recommender.Create(blend, _train));
    }

    private static ModelSpec ItemSpec => new() { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [4], Seed = 11 };

    private static ModelSpec UserSpec => new() { Kind = ModelKind.UserBased, Ids = FactorFixture.Movies, Hidden = [3], Seed = 12 };

    private string WriteBlend(double intercept = Intercept, double itemWeight = ItemWeight, double userWeight = UserWeight)
    {
        Directory.CreateDirectory(_dir.PathOf("members"));
        TestModels.Write(_dir.PathOf("members"), ItemSpec, "item.onnx");
        TestModels.Write(_dir.PathOf("members"), UserSpec, "user.onnx");
        Directory.CreateDirectory(_dir.PathOf("model"));
        string path = _dir.PathOf("model/blend.json");
        var manifest = new BlendManifest("test-blend", intercept, [new("item", "../members/item.onnx", itemWeight), new("user", "../members/user.onnx", userWeight)]);
        File.WriteAllText(path, manifest.ToJson());
        return path;
    }

    private string WriteManifest(string name, params BlendMember[] members)
    {
        string path = _dir.PathOf(name);
        File.WriteAllText(path, new BlendManifest(name, 0, members).ToJson());
        return path;
    }

    /// <summary>Each member on its own, as the blend's members are built.</summary>
    private (IRecommender Item, IRecommender User) Members(BlendedModel blend) =>
        (Recommender.Create(blend.Members[0], _train), Recommender.Create(blend.Members[1], _train));

    /// <summary>The blend in the first member's movie order, computed here in double precision.</summary>
    private static float[] Expected(float[] item, IReadOnlyList<int> itemMovies, float[] user, IReadOnlyList<int> userMovies) =>
        [.. itemMovies.Select((id, i) => Math.Clamp(
            (float)(Intercept + (ItemWeight * item[i]) + (UserWeight * user[userMovies.ToList().IndexOf(id)])), 1f, 5f))];
}
