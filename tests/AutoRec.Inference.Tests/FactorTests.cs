using AutoRec.Inference.Network;
using AutoRec.Inference.Recommenders;
using AutoRec.Onnx;
using Onnx;

namespace AutoRec.Inference.Tests;

/// <summary>
/// An item-based model served as factors (movie codes, one output row per user) predicts exactly what the network
/// computes, whichever the fill, depth, activation or side features, and reads its layers from the model file.
/// </summary>
public sealed class FactorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<Activation, DefaultFill, int[], int, bool> Networks => new()
    {
        { Activation.Identity, DefaultFill.Zero, [5], 0, false },
        { Activation.Identity, DefaultFill.Zero, [6, 3, 6], 2, false },
        { Activation.Identity, DefaultFill.Zero, [4], 0, true },
        { Activation.Sigmoid, DefaultFill.Zero, [5], 0, false },
        { Activation.LeakyRelu, DefaultFill.RowMean, [4], 2, false },
        { Activation.Swish, DefaultFill.ColumnMean, [3, 4], 0, false },
        { Activation.Selu, DefaultFill.Constant, [4, 2, 4], 0, true },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void PredictionsEqualTheNetworks(Activation output, DefaultFill fill, int[] hidden, int sideWidth, bool tied)
    {
        // A sigmoid output lies in (0, 1): on a 1..5 scale it would clip everything to 1, so it gets a scale of its own.
        bool unit = output == Activation.Sigmoid;
        var spec = new ModelSpec
        {
            Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = hidden, HiddenActivation = Activation.Tanh, OutputActivation = output,
            Fill = fill, SideWidth = sideWidth, Tied = tied, RatingMin = unit ? 0.1f : 1f, RatingMax = unit ? 0.9f : 5f, Seed = 11,
        };
        TestModel written = TestModels.Write(_dir.Root, spec);
        Rating[] train = FactorFixture.Ratings(3, unit ? [0.2f, 0.5f, 0.8f] : FactorFixture.WholeStars);
        Dictionary<int, float[]>? side = sideWidth > 0 ? FactorFixture.Side(sideWidth) : null;
        using RecommenderModel model = written.Open();

        IRecommender recommender = Recommender.Create(model, train, sideFeatures: side);

        Assert.Equal(FactorFixture.Movies.Order(), recommender.MovieIds);
        (int UserId, int MovieId)[] pairs = [.. recommender.UserIds.SelectMany(u => recommender.MovieIds.Select(m => (u, m)))];
        float[] network = model.PredictPairs(train, pairs, side);
        for (int i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(network[i], recommender.Predict(pairs[i].UserId, pairs[i].MovieId), Tolerance.Value);
        }

        foreach (int user in recommender.UserIds)
        {
            float[] row = recommender.PredictUser(user);
            Assert.Equal(pairs.Where(p => p.UserId == user).Select(p => network[Array.IndexOf(pairs, p)]), row, Tolerance.Comparer);
        }

        Assert.Equal(output == Activation.Identity, recommender.CanRecommendForRatings);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void SparseCodesEqualTheGraphs(int sideWidth)
    {
        // The C# sparse first layer and ONNX Runtime's run of the graph cut at the codes agree.
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec
        {
            Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [7, 4, 7], HiddenActivation = Activation.Elu, SideWidth = sideWidth,
        });
        Rating[] train = FactorFixture.Ratings(5, FactorFixture.WholeStars);
        Dictionary<int, float[]>? side = sideWidth > 0 ? FactorFixture.Side(sideWidth) : null;
        using RecommenderModel model = written.Open(new RecommenderOptions { BatchSize = 5 });

        ItemBasedRecommender sparse = ItemBasedRecommender.Create(model, train, null, side, MovieCodeEncoder.Method.Sparse);
        ItemBasedRecommender graph = ItemBasedRecommender.Create(model, train, null, side, MovieCodeEncoder.Method.Graph);

        foreach (int user in sparse.UserIds)
        {
            Assert.Equal(graph.PredictUser(user), sparse.PredictUser(user), Tolerance.Comparer);
        }

        // Both match the reference codes: the (centred) cosine of the first two movies, in double precision.
        Dictionary<int, double[]> codes = FactorFixture.Centred(sparse.MovieIds.ToDictionary(m => m, m => FactorFixture.Code(written, train, m, side?[m])));
        SimilarMovie similar = sparse.SimilarMovies(1, new RecommendationQuery { Count = 1, Filter = id => id == 2 }).Single();
        Assert.Equal(FactorFixture.Cosine(codes[1], codes[2]), similar.Similarity, 1e-5);
        Assert.Equal(similar, graph.SimilarMovies(1, new RecommendationQuery { Count = 1, Filter = id => id == 2 }).Single() with { Similarity = similar.Similarity });
    }

    [Theory]
    [InlineData(DefaultFill.Zero, 0, Activation.Sigmoid)]
    [InlineData(DefaultFill.Zero, 2, Activation.Identity)]
    [InlineData(DefaultFill.RowMean, 0, Activation.Swish)]
    public void ABlendOfTowersServesAsFactors(DefaultFill fill, int sideWidth, Activation hidden)
    {
        // Towers of different depths read the input; their codes, side by side, feed one output layer.
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec
        {
            Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Towers = [[5], [4, 3]], HiddenActivation = hidden, Fill = fill, SideWidth = sideWidth, Seed = 13,
        });
        Rating[] train = FactorFixture.Ratings(9, FactorFixture.WholeStars);
        Dictionary<int, float[]>? side = sideWidth > 0 ? FactorFixture.Side(sideWidth) : null;
        using RecommenderModel model = written.Open(new RecommenderOptions { BatchSize = 4 });

        ItemBasedRecommender factors = ItemBasedRecommender.Create(model, train, null, side, MovieCodeEncoder.Method.Auto);
        ItemBasedRecommender graph = ItemBasedRecommender.Create(model, train, null, side, MovieCodeEncoder.Method.Graph);

        (int UserId, int MovieId)[] pairs = [.. factors.UserIds.SelectMany(u => factors.MovieIds.Select(m => (u, m)))];
        float[] network = model.PredictPairs(train, pairs, side);
        for (int i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(network[i], factors.Predict(pairs[i].UserId, pairs[i].MovieId), Tolerance.Value);
            Assert.Equal(network[i], graph.Predict(pairs[i].UserId, pairs[i].MovieId), Tolerance.Value);
        }

        // And the codes are both towers' (5 + 3 values), as the double-precision reference computes them.
        Dictionary<int, double[]> codes = FactorFixture.Centred(factors.MovieIds.ToDictionary(m => m, m => FactorFixture.Code(written, train, m, side?[m])));
        Assert.Equal(8, codes[1].Length);
        SimilarMovie similar = factors.SimilarMovies(1, new RecommendationQuery { Count = 1, Filter = id => id == 2 }).Single();
        Assert.Equal(FactorFixture.Cosine(codes[1], codes[2]), similar.Similarity, 1e-5);
    }

    [Fact]
    public void TowersWhoseCodesAreNotConcatenatedInOrderAreRefused()
    {
        string path = TestModels.WriteChanged(
            _dir.Root,
            "swapped.onnx",
            new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Towers = [[3], [3]] },
            model =>
            {
                NodeProto concat = model.Graph.Node.Single(n => n.OpType == "Concat");
                (concat.Input[0], concat.Input[1]) = (concat.Input[1], concat.Input[0]);
            });
        using RecommenderModel model = RecommenderModel.Open(path);

        var error = Assert.Throws<ModelFormatException>(() => Recommender.Create(model, FactorFixture.Ratings(1, FactorFixture.WholeStars)));

        Assert.Equal(ModelErrorCodes.WrongSignature, error.Code);
        Assert.Contains("towers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelFromAStreamServesTheSame()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [4] });
        Rating[] train = FactorFixture.Ratings(7, FactorFixture.WholeStars);
        using RecommenderModel fromFile = written.Open();
        using var stream = new MemoryStream(File.ReadAllBytes(written.Path));
        using RecommenderModel fromStream = RecommenderModel.Open(stream, name: "upload");

        IRecommender expected = Recommender.Create(fromFile, train);
        IRecommender actual = Recommender.Create(fromStream, train);

        foreach (int user in expected.UserIds)
        {
            Assert.Equal(expected.PredictUser(user), actual.PredictUser(user));
        }
    }

    [Fact]
    public void AFileChangedSinceOpeningIsRefused()
    {
        // The layers are read from the file again; other weights than the session's would serve another model.
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users });
        using RecommenderModel model = written.Open();
        TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Seed = 99 });

        var error = Assert.Throws<ModelFormatException>(() => Recommender.Create(model, FactorFixture.Ratings(1, FactorFixture.WholeStars)));

        Assert.Equal(ModelErrorCodes.NotLoadable, error.Code);
        Assert.Contains("changed since the model was opened", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGraphWithoutTheNamedLayersIsRefused()
    {
        // ONNX Runtime runs it (the names are consistent), but the factors cannot be found by the contract's names.
        var spec = new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users };
        string path = TestModels.WriteChanged(_dir.Root, "renamed.onnx", spec, model =>
        {
            model.Graph.Initializer.Single(t => t.Name == ModelGraph.LayerWeight(1)).Name = "decoder";
            NodeProto gemm = model.Graph.Node.Single(n => n.Input.Contains(ModelGraph.LayerWeight(1)));
            gemm.Input[1] = "decoder";
        });
        using RecommenderModel model = RecommenderModel.Open(path);
        Assert.Equal(FactorFixture.Users.Length, model.Predict(new Dictionary<int, float>()).Length);

        var error = Assert.Throws<ModelFormatException>(() => Recommender.Create(model, [new Rating(31, 1, 4f, 0)]));

        Assert.Equal(ModelErrorCodes.WrongSignature, error.Code);
        Assert.Contains("cannot be served as factors", error.Message, StringComparison.Ordinal);
        Assert.Contains(ModelGraph.LayerWeight(1), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FactorsTakeUsersPlusMoviesTimesHiddenFloats()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [3] });
        Rating[] train = FactorFixture.Ratings(2, FactorFixture.WholeStars);
        using RecommenderModel model = written.Open();

        ItemBasedRecommender recommender = ItemBasedRecommender.Create(model, train, null, null);

        int users = FactorFixture.Users.Length;
        int movies = FactorFixture.Movies.Length;
        long floats = ((long)(users + movies + 2) * 3) + users + movies; // codes, user rows, mean user row, mean code; biases, code norms
        long rated = (users + 1 + train.Length) * sizeof(int);
        Assert.Equal((floats * sizeof(float)) + rated, recommender.FactorBytes);
    }
}
