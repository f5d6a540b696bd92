using AutoRec.Onnx;

namespace AutoRec.Inference.Tests;

/// <summary>ONNX Runtime's predictions equal a plain C# forward pass of the same weights, for every activation and fill.</summary>
public sealed class PredictionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<Activation, Activation, DefaultFill, int, bool, int[]> Cases => new()
    {
        { Activation.Sigmoid, Activation.Identity, DefaultFill.Zero, 0, false, [5] },
        { Activation.Relu, Activation.Identity, DefaultFill.Constant, 0, false, [5] },
        { Activation.Elu, Activation.Elu, DefaultFill.RowMean, 0, false, [6] },
        { Activation.Selu, Activation.Selu, DefaultFill.ColumnMean, 0, false, [4] },
        { Activation.LeakyRelu, Activation.LeakyRelu, DefaultFill.Zero, 3, false, [5] },
        { Activation.Tanh, Activation.Swish, DefaultFill.RowMean, 2, false, [8, 3, 8] },
        { Activation.Swish, Activation.Relu, DefaultFill.ColumnMean, 0, false, [6, 4] },
        { Activation.Sigmoid, Activation.Identity, DefaultFill.Constant, 0, true, [4] },
        { Activation.Tanh, Activation.Identity, DefaultFill.RowMean, 0, true, [6, 3, 6] },
        { Activation.Identity, Activation.Tanh, DefaultFill.Zero, 1, false, [3] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PredictMatchesReference(Activation hidden, Activation output, DefaultFill fill, int side, bool tied, int[] layers)
    {
        TestModel written = Write(hidden, output, fill, side, tied, layers);
        using RecommenderModel model = written.Open();
        foreach ((Dictionary<int, float> ratings, float[] features) in Rows(written.Spec, seed: 7))
        {
            float[] expected = written.Reference(ratings, features);
            Assert.Equal(expected, model.Predict(ratings, features), Tolerance.Comparer);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchAndDenseMatchReference(Activation hidden, Activation output, DefaultFill fill, int side, bool tied, int[] layers)
    {
        TestModel written = Write(hidden, output, fill, side, tied, layers);
        // A batch size below the row count exercises the chunking.
        using RecommenderModel model = written.Open(new RecommenderOptions { BatchSize = 3 });
        List<(Dictionary<int, float> Ratings, float[] Side)> rows = Rows(written.Spec, seed: 11);
        float[][] expected = rows.Select(r => written.Reference(r.Ratings, r.Side)).ToArray();

        float[][] batch = model.PredictBatch(rows.Select(r => (IReadOnlyDictionary<int, float>)r.Ratings).ToList(), side > 0 ? rows.Select(r => r.Side).ToList() : null);
        Assert.Equal(rows.Count, batch.Length);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i], batch[i], Tolerance.Comparer);
        }

        int n = model.InputWidth;
        var dense = new float[rows.Count * n];
        for (int i = 0; i < rows.Count; i++)
        {
            foreach ((int id, float value) in rows[i].Ratings)
            {
                model.TryGetInputIndex(id, out int column);
                dense[(i * n) + column] = value;
            }
        }

        var predictions = new float[rows.Count * model.OutputWidth];
        model.PredictDense(dense, predictions, rows.SelectMany(r => r.Side).ToArray());
        Assert.Equal(expected.SelectMany(p => p), predictions, Tolerance.Comparer);
    }

    [Fact]
    public void PredictionsAreClippedToTheScale()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Ids = Enumerable.Range(1, 40).ToArray(), Seed = 3 });
        using RecommenderModel model = written.Open();
        float[] all = Rows(written.Spec, seed: 5).SelectMany(r => model.Predict(r.Ratings)).ToArray();
        Assert.All(all, p => Assert.InRange(p, 1f, 5f));
        // The weights are chosen so that the clip is exercised on both ends.
        Assert.Contains(1f, all);
        Assert.Contains(5f, all);
    }

    [Fact]
    public void PredictIntoSpanEqualsPredict()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec());
        using RecommenderModel model = written.Open();
        var ratings = new Dictionary<int, float> { [3] = 2f, [250] = 5f };
        var destination = new float[model.OutputWidth];
        model.PredictInto(ratings, destination);
        Assert.Equal(model.Predict(ratings), destination);
    }

    [Fact]
    public void PairsMatchReference()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { SideWidth = 2 });
        using RecommenderModel model = written.Open(new RecommenderOptions { BatchSize = 2 });
        var ratingsByUser = new Dictionary<int, Dictionary<int, float>>
        {
            [1] = new() { [101] = 5f, [7] = 3f },
            [2] = new() { [55] = 1f },
            [3] = [],
        };
        var side = new Dictionary<int, float[]> { [1] = [1f, 0f], [2] = [0f, 1f], [3] = [0.5f, 0.5f] };
        (int, int)[] pairs = [(2, 9), (1, 3), (3, 101), (2, 250), (1, 3), (3, 18)];

        float[] actual = model.PredictPairs(Flatten(ratingsByUser), pairs, side);

        float[] expected = pairs.Select(p =>
        {
            float[] row = written.Reference(ratingsByUser[p.Item1], side[p.Item1]);
            return row[Array.IndexOf(written.Spec.Ids, p.Item2)];
        }).ToArray();
        Assert.Equal(expected, actual, Tolerance.Comparer);
    }

    [Fact]
    public void ItemBasedPairsReadEachMovieRowFromAllUsers()
    {
        int[] users = [21, 22, 23, 24];
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = users, Fill = DefaultFill.RowMean });
        using RecommenderModel model = written.Open();
        var ratingsByUser = new Dictionary<int, Dictionary<int, float>>
        {
            [21] = new() { [1] = 5f, [2] = 3f },
            [22] = new() { [1] = 2f },
            [24] = new() { [2] = 4f, [3] = 1f },
        };
        (int, int)[] pairs = [(23, 1), (21, 2), (22, 3), (24, 9)];

        float[] actual = model.PredictPairs(Flatten(ratingsByUser), pairs);

        float[] expected = pairs.Select(p =>
        {
            // Movie p.Item2's row: its ratings by every user.
            var row = ratingsByUser.Where(u => u.Value.ContainsKey(p.Item2)).ToDictionary(u => u.Key, u => u.Value[p.Item2]);
            return written.Reference(row)[Array.IndexOf(users, p.Item1)];
        }).ToArray();
        Assert.Equal(expected, actual, Tolerance.Comparer);
    }

    private static Rating[] Flatten(Dictionary<int, Dictionary<int, float>> ratingsByUser) =>
        ratingsByUser.SelectMany(user => user.Value.Select(r => new Rating(user.Key, r.Key, r.Value, 0))).ToArray();

    private TestModel Write(Activation hidden, Activation output, DefaultFill fill, int side, bool tied, int[] layers) =>
        TestModels.Write(_dir.Root, new ModelSpec
        {
            HiddenActivation = hidden,
            OutputActivation = output,
            Fill = fill,
            SideWidth = side,
            Tied = tied,
            Hidden = layers,
            Seed = HashCode.Combine(hidden, output, fill) & 0xFFFF,
        });

    /// <summary>Rows with no ratings, one rating, every rating and random subsets, with random side features.</summary>
    internal static List<(Dictionary<int, float> Ratings, float[] Side)> Rows(ModelSpec spec, int seed)
    {
        var random = new Random(seed);
        float[] scale = Enumerable.Range(0, 9).Select(i => spec.RatingMin + ((spec.RatingMax - spec.RatingMin) * i / 8f)).ToArray();
        float[] Side() => Enumerable.Range(0, spec.SideWidth).Select(_ => (float)random.Next(2)).ToArray();
        var rows = new List<(Dictionary<int, float>, float[])>
        {
            ([], Side()),
            (new Dictionary<int, float> { [spec.Ids[^1]] = spec.RatingMax }, Side()),
            (spec.Ids.ToDictionary(id => id, _ => scale[random.Next(scale.Length)]), Side()),
        };
        for (int i = 0; i < 7; i++)
        {
            rows.Add((spec.Ids.Where(_ => random.Next(3) == 0).ToDictionary(id => id, _ => scale[random.Next(scale.Length)]), Side()));
        }

        return rows;
    }
}
