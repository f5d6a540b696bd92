namespace AutoRec.Inference.Tests;

/// <summary>Every kind of bad input is refused with an exception that says what and where.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly RecommenderModel _model;
    private readonly RecommenderModel _sideModel;

    public BadInputTests()
    {
        _model = TestModels.Write(_dir.Root, new ModelSpec(), "plain.onnx").Open();
        _sideModel = TestModels.Write(_dir.Root, new ModelSpec { SideWidth = 2 }, "side.onnx").Open();
    }

    public void Dispose()
    {
        _model.Dispose();
        _sideModel.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void UnknownMovieIdIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => _model.Predict(new Dictionary<int, float> { [7] = 4f, [42] = 3f }));
        Assert.Contains("movie 42", error.Message, StringComparison.Ordinal);
        Assert.Equal("ratings", error.ParamName);
        Assert.Throws<ArgumentException>(() => Recommender.Create(_model, []).Recommend(new Dictionary<int, float> { [42] = 3f }, 5));

        // An unknown id is refused even with a rating of 0: ids are checked before values.
        Assert.Throws<ArgumentException>(() => _model.Predict(new Dictionary<int, float> { [42] = 0f }));
    }

    [Fact]
    public void ZeroMeansUnknownInDictionaries()
    {
        // Formerly refused as off the scale; 0 is the graph's "unknown", in dictionaries as in dense rows.
        float[] withZero = _model.Predict(new Dictionary<int, float> { [55] = 0f, [7] = 4f });
        Assert.Equal(_model.Predict(new Dictionary<int, float> { [7] = 4f }), withZero);
        Assert.Equal(0f, RecommenderModel.UnknownRating);

        // Nor is it a rating that top-N leaves out: movie 55 stays a candidate, movie 7 (rated) does not.
        IReadOnlyList<Recommendation> top = Recommender.Create(_model, []).Recommend(new Dictionary<int, float> { [55] = 0f, [7] = 4f }, 10);
        Assert.Contains(top, r => r.MovieId == 55);
        Assert.DoesNotContain(top, r => r.MovieId == 7);
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(5.5f)]
    [InlineData(-3f)]
    public void RatingOffTheScaleIsRefused(float rating)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _model.Predict(new Dictionary<int, float> { [55] = rating }));
        Assert.Contains("movie 55", error.Message, StringComparison.Ordinal);
        Assert.Contains("1..5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteRatingIsRefused(float rating)
    {
        var error = Assert.Throws<ArgumentException>(() => _model.Predict(new Dictionary<int, float> { [3] = rating }));
        Assert.Contains("movie 3", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _model.PredictBatch([new Dictionary<int, float> { [3] = rating }]));
    }

    [Fact]
    public void NegativeCountIsRefused()
    {
        IRecommender recommender = Recommender.Create(_model, [new Rating(1, 7, 4f, 0)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend(new Dictionary<int, float>(), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend(1, -1));
    }

    [Fact]
    public void MissingSideFeaturesAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => _sideModel.Predict(new Dictionary<int, float> { [3] = 4f }));
        Assert.Contains("needs 2 side features", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _sideModel.PredictBatch([new Dictionary<int, float>()]));
        Assert.Throws<ArgumentException>(() => _sideModel.PredictDense(new float[7], new float[7]));
        Assert.Throws<ArgumentException>(() => Recommender.Create(_sideModel, [new Rating(1, 3, 4f, 0)]));
        IRecommender recommender = Recommender.Create(_sideModel, [new Rating(1, 3, 4f, 0)], sideFeatures: new Dictionary<int, float[]> { [1] = [0f, 1f] });
        Assert.Throws<ArgumentException>(() => recommender.Recommend(new Dictionary<int, float>(), 3));
        var missingTrainingUser = Assert.Throws<ArgumentException>(() => Recommender.Create(
            _sideModel, [new Rating(1, 3, 4f, 0), new Rating(2, 3, 4f, 0)], sideFeatures: new Dictionary<int, float[]> { [1] = [0f, 1f] }));
        Assert.Contains("user 2", missingTrainingUser.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _sideModel.PredictPairs([], [(1, 3)]));
        var missingUser = Assert.Throws<ArgumentException>(() => _sideModel.PredictPairs(
            [new Rating(1, 7, 4f, 0)], [(1, 3)], new Dictionary<int, float[]> { [2] = [0f, 1f] }));
        Assert.Contains("user 1", missingUser.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongSideFeaturesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => _sideModel.Predict(new Dictionary<int, float>(), [1f, 0f, 1f]));
        Assert.Throws<ArgumentException>(() => _sideModel.Predict(new Dictionary<int, float>(), [float.NaN, 0f]));
        Assert.Throws<ArgumentException>(() => _sideModel.PredictBatch([new Dictionary<int, float>(), new Dictionary<int, float>()], [[1f, 0f]]));
        var error = Assert.Throws<ArgumentException>(() => _model.Predict(new Dictionary<int, float>(), [1f]));
        Assert.Contains("no side features", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DenseInputMustBeWholeRowsOnTheScale()
    {
        Assert.Throws<ArgumentException>(() => _model.PredictDense(new float[10], new float[7]));
        Assert.Throws<ArgumentException>(() => _model.PredictDense(new float[14], new float[7]));
        var dense = new float[7];
        dense[2] = 9f;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _model.PredictDense(dense, new float[7]));
        Assert.Contains("movie 55", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DestinationMustFit()
    {
        Assert.Throws<ArgumentException>(() => _model.PredictInto(new Dictionary<int, float>(), new float[6]));
    }

    [Fact]
    public void PairsNeedKnownMoviesAndValidRatings()
    {
        Rating[] ratings = [new Rating(1, 3, 4f, 0)];

        // A user without known ratings is not an error: their row is all unknown, as for a new user.
        float[] predicted = _model.PredictPairs(ratings, [(1, 7), (2, 7)]);
        Assert.Equal(_model.Predict(new Dictionary<int, float>())[1], predicted[1]);

        var unknown = Assert.Throws<ArgumentException>(() => _model.PredictPairs(ratings, [(1, 8)]));
        Assert.Contains("movie 8", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("pairs", unknown.ParamName);
        var unknownRated = Assert.Throws<ArgumentException>(() => _model.PredictPairs([new Rating(1, 555, 4f, 0)], [(1, 7)]));
        Assert.Contains("movie 555", unknownRated.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.PredictPairs([new Rating(1, 3, 7f, 0)], [(1, 7)]));
    }

    [Fact]
    public void NegativeOptionsAreRefused()
    {
        string path = _dir.PathOf("plain.onnx");
        Assert.Throws<ArgumentOutOfRangeException>(() => RecommenderModel.Open(path, new RecommenderOptions { IntraOpThreads = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecommenderModel.Open(path, new RecommenderOptions { BatchSize = 0 }));
    }

    [Fact]
    public void DisposedModelIsRefused()
    {
        RecommenderModel model = RecommenderModel.Open(_dir.PathOf("plain.onnx"));
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Predict(new Dictionary<int, float>()));
        Assert.Throws<ObjectDisposedException>(() => model.PredictPairs([], [(1, 7)]));
        Assert.Throws<ObjectDisposedException>(() => Recommender.Create(model, []));
    }
}
