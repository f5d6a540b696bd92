using AutoRec.BuildTasks.Validation;
using AutoRec.Data;
using AutoRec.Inference;
using AutoRec.Onnx;

namespace AutoRec.BuildTasks.Tests.Validation;

/// <summary>Test RMSE through ONNX Runtime equals the hand computation, for both kinds, from Parquet files.</summary>
public sealed class ModelEvaluatorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void UserBasedRmseEqualsHandComputation()
    {
        // A network whose output ignores its input: predictions are the output biases, clipped to 1..5.
        string model = ConstantModels.Write(_dir.Root, ModelKind.UserBased, [10, 20, 30], [3.5f, 6f, 2f]);
        string train = WriteRatings("train.parquet", new Rating(1, 10, 4f, 0), new Rating(2, 20, 3f, 0));
        string test = WriteRatings(
            "test.parquet",
            new Rating(1, 20, 4f, 0), // predicted 5 (6 clipped): error 1
            new Rating(1, 30, 4f, 0), // predicted 2: error -2
            new Rating(2, 10, 5f, 0), // predicted 3.5: error -1.5
            new Rating(2, 99, 3f, 0)); // movie 99 is not in the model: skipped

        using RecommenderModel recommender = RecommenderModel.Open(model);
        RmseResult rmse = ModelEvaluator.Evaluate(recommender, train, test);

        Assert.Equal(Math.Sqrt((1 + 4 + 2.25) / 3), rmse.Global, 6);
        Assert.Equal((Math.Sqrt((1 + 4) / 2.0) + Math.Sqrt(2.25)) / 2, rmse.UserMean, 6);
        Assert.Equal(3, rmse.Count);
        Assert.Equal(1, rmse.Skipped);
    }

    [Fact]
    public void ItemBasedRmseEqualsHandComputation()
    {
        // Item-based: the outputs are users; each user's prediction is its bias whatever the movie.
        string model = ConstantModels.Write(_dir.Root, ModelKind.ItemBased, [1, 2], [3f, 4.5f]);
        string train = WriteRatings("train.parquet", new Rating(1, 10, 4f, 0), new Rating(2, 11, 2f, 0));
        string test = WriteRatings(
            "test.parquet",
            new Rating(1, 10, 5f, 0), // predicted 3: error -2
            new Rating(2, 10, 4f, 0), // predicted 4.5: error 0.5
            new Rating(2, 77, 5f, 0), // movie without training ratings: predicted 4.5, error -0.5
            new Rating(3, 10, 5f, 0)); // user 3 is not in the model: skipped

        using RecommenderModel recommender = RecommenderModel.Open(model);
        RmseResult rmse = ModelEvaluator.Evaluate(recommender, train, test);

        Assert.Equal(Math.Sqrt((4 + 0.25 + 0.25) / 3), rmse.Global, 6);
        Assert.Equal((2 + Math.Sqrt(0.5 / 2)) / 2, rmse.UserMean, 6);
        Assert.Equal(3, rmse.Count);
        Assert.Equal(1, rmse.Skipped);
    }

    [Theory]
    [InlineData(ModelKind.UserBased, DefaultFill.RowMean)]
    [InlineData(ModelKind.ItemBased, DefaultFill.ColumnMean)]
    public void RandomModelRmseEqualsReference(ModelKind kind, DefaultFill fill)
    {
        var random = new Random(21);
        int[] users = Enumerable.Range(1, 12).ToArray();
        int[] movies = Enumerable.Range(1, 9).Select(m => m * 10).ToArray();
        TestModel written = TestModels.Write(
            _dir.Root, new ModelSpec { Kind = kind, Ids = kind == ModelKind.UserBased ? movies : users, Fill = fill, Hidden = [6], HiddenActivation = Activation.Tanh });
        var cells = users.SelectMany(u => movies.Select(m => (u, m))).Where(_ => random.Next(3) == 0).ToArray();
        Rating[] all = cells.Select(c => new Rating(c.u, c.m, random.Next(1, 6), 0)).ToArray();
        Rating[] train = all.Where((_, i) => i % 4 != 0).ToArray();
        Rating[] test = all.Where((_, i) => i % 4 == 0).ToArray();

        using RecommenderModel model = written.Open(new RecommenderOptions { BatchSize = 4 });
        RmseResult rmse = ModelEvaluator.Evaluate(model, train, test);

        double[] errors = test.Select(r =>
        {
            (int row, int column) = kind == ModelKind.UserBased ? (r.UserId, r.MovieId) : (r.MovieId, r.UserId);
            var input = train.Where(t => (kind == ModelKind.UserBased ? t.UserId : t.MovieId) == row)
                .ToDictionary(t => kind == ModelKind.UserBased ? t.MovieId : t.UserId, t => t.Value);
            return (double)written.Reference(input)[Array.IndexOf(written.Spec.Ids, column)] - r.Value;
        }).ToArray();
        double userMean = test.Select((r, i) => (r.UserId, Error: errors[i])).GroupBy(e => e.UserId)
            .Average(g => Math.Sqrt(g.Average(e => e.Error * e.Error)));
        Assert.Equal(Math.Sqrt(errors.Average(e => e * e)), rmse.Global, 5);
        Assert.Equal(userMean, rmse.UserMean, 5);
        Assert.Equal(test.Length, rmse.Count);
        Assert.Equal(0, rmse.Skipped);
    }

    [Fact]
    public void SideFeaturesAreReadBesideTheTrainingFile()
    {
        string[] names = ["gender=F", "gender=M", "age=25", "occupation=writer"];
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Ids = [10, 20, 30], SideWidth = names.Length, SideNames = names });
        string train = WriteRatings("train.parquet", new Rating(1, 10, 4f, 0), new Rating(2, 20, 3f, 0));
        string test = WriteRatings("test.parquet", new Rating(1, 30, 2f, 0), new Rating(2, 10, 5f, 0), new Rating(3, 10, 1f, 0));
        ParquetTables.WriteUsers(_dir.PathOf("users.parquet"), [new User(1, "F", 25, "writer", "0"), new User(2, "M", 18, "artist", "0")]);

        using RecommenderModel model = written.Open();
        RmseResult rmse = ModelEvaluator.Evaluate(model, train, test);

        // User 3 is not in users.parquet: zeros, as training lays out entities without features.
        double e1 = written.Reference(new Dictionary<int, float> { [10] = 4f }, [1, 0, 1, 1])[2] - 2.0;
        double e2 = written.Reference(new Dictionary<int, float> { [20] = 3f }, [0, 1, 0, 0])[0] - 5.0;
        double e3 = written.Reference(new Dictionary<int, float>(), [0, 0, 0, 0])[0] - 1.0;
        Assert.Equal(Math.Sqrt(((e1 * e1) + (e2 * e2) + (e3 * e3)) / 3), rmse.Global, 5);
    }

    private string WriteRatings(string name, params Rating[] ratings)
    {
        string path = _dir.PathOf(name);
        ParquetTables.WriteRatings(path, ratings);
        return path;
    }
}
