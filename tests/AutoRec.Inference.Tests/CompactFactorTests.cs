using AutoRec.Inference.Factors;

namespace AutoRec.Inference.Tests;

/// <summary>Compact factors (compact.bin beside model.onnx): the file, how the library finds it, what it serves.</summary>
public sealed class CompactFactorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(ModelKind.ItemBased)]
    [InlineData(ModelKind.UserBased)]
    public void AFullRankBasisServesTheFullModelAndALowerRankTheProjectedFactors(ModelKind kind)
    {
        (TestModel model, Rating[] train) = Write(kind, hidden: 6);
        float[] full = PredictAll(model, train, new RecommenderOptions { CompactFactors = false });

        // Rank = width: BBᵀ = I, the same predictions (rounding aside).
        CompactFixture.Write(model, train, rank: 6, seed: 3);
        Assert.Equal(full, PredictAll(model, train, null), new Within(1e-4f));

        // Rank 2: the projected factors, exactly what ModelFactors reports as served.
        CompactBasis basis = CompactFixture.Write(model, train, rank: 2, seed: 3);
        using RecommenderModel opened = model.Open();
        IRecommender compact = Recommender.Create(opened, train);
        ModelFactors factors = ModelFactors.Of(compact)!;
        Assert.Equal(2, factors.Width);
        float[] served = PredictAll(model, train, null);
        Assert.NotEqual(full, served, new Within(1e-4f));
        int[] users = factors.UserIds;
        int[] movies = factors.MovieIds;
        for (int u = 0; u < users.Length; u++)
        {
            for (int m = 0; m < movies.Length; m++)
            {
                (int row, int code) = factors.Indices(u, m);
                float expected = Math.Clamp(
                    (factors.Rows[row * 2] * factors.Codes[code * 2]) + (factors.Rows[(row * 2) + 1] * factors.Codes[(code * 2) + 1]) + factors.RowBias[row], 1f, 5f);
                Assert.Equal(expected, compact.Predict(users[u], movies[m]), 1e-5f);
            }
        }

        Assert.Equal(2, basis.Rank);
    }

    [Fact]
    public void ANewUserOfAUserBasedModelIsEncodedAsTheGraphEncodesThem()
    {
        (TestModel model, Rating[] train) = Write(ModelKind.UserBased, hidden: 5);
        using RecommenderModel opened = model.Open();
        IRecommender factors = Recommender.Create(opened, train);
        var ratings = new Dictionary<int, float> { [5] = 4f, [13] = 2f, [34] = 5f };
        float[] graph = opened.Predict(ratings);
        Assert.Equal(graph, factors.Predict(ratings, factors.MovieIds), new Within(1e-5f));
        ArgumentException unknown = Assert.Throws<ArgumentException>(() => factors.Predict(new Dictionary<int, float> { [999] = 4f }, factors.MovieIds));
        Assert.Contains("999", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABasisOfAnotherModelOrATruncatedFileIsRefusedNamingTheFile()
    {
        (TestModel model, Rating[] train) = Write(ModelKind.ItemBased, hidden: 4);
        CompactBasis basis = CompactFixture.Write(model, train, rank: 2, seed: 1);
        string path = _dir.PathOf(CompactBasis.FileName);
        CompactBasis read = CompactBasis.Read(path);
        Assert.Equal(basis.Basis, read.Basis);
        Assert.Equal(basis.Mean, read.Mean);
        Assert.Equal((basis.ModelSha256, basis.Width, basis.Rank), (read.ModelSha256, read.Width, read.Rank));

        (basis with { ModelSha256 = new string('0', 64) }).Write(path);
        using (RecommenderModel opened = model.Open())
        {
            ModelFormatException other = Assert.Throws<ModelFormatException>(() => Recommender.Create(opened, train));
            Assert.Equal(ModelErrorCodes.BadMetadata, other.Code);
            Assert.Contains(path, other.Message, StringComparison.Ordinal);
            Assert.Contains("belongs to another model file", other.Message, StringComparison.Ordinal);
        }

        basis.Write(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        ModelFormatException truncated = Assert.Throws<ModelFormatException>(() => CompactBasis.Read(path));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);

        // Off, the file is not even read.
        using RecommenderModel off = model.Open(new RecommenderOptions { CompactFactors = false });
        Assert.Equal(4, ModelFactors.Of(Recommender.Create(off, train))!.Width);
    }

    private (TestModel Model, Rating[] Train) Write(ModelKind kind, int hidden)
    {
        int[] ids = kind == ModelKind.ItemBased ? FactorFixture.Users : FactorFixture.Movies;
        TestModel model = TestModels.Write(_dir.Root, new ModelSpec { Kind = kind, Ids = ids, Hidden = [hidden], Seed = 11 });
        return (model, FactorFixture.Ratings(4, FactorFixture.WholeStars));
    }

    private static float[] PredictAll(TestModel model, Rating[] train, RecommenderOptions? options)
    {
        using RecommenderModel opened = model.Open(options);
        IRecommender recommender = Recommender.Create(opened, train);
        return [.. recommender.UserIds.SelectMany(recommender.PredictUser)];
    }

    private sealed class Within(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
