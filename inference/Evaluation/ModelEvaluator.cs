using AutoRec.Data;

namespace AutoRec.Inference;

/// <summary>
/// Test RMSE of a model the way training computes it: each test rating is predicted from the row the network
/// sees (a user's training ratings for user-based models, a movie's for item-based ones), clipped to the scale
/// by the graph itself.
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> on a test Parquet file given the training Parquet file as its input.</summary>
    /// <remarks>Side features, when the model takes them, are read from users.parquet or movies.parquet beside the training file.</remarks>
    /// <exception cref="DataFormatException">A file is missing or is not a ratings file.</exception>
    /// <exception cref="ArgumentException">The training ratings do not fit the model (an id it does not know, a rating off its scale).</exception>
    public static RmseResult Evaluate(RecommenderModel model, string trainParquet, string testParquet)
    {
        ArgumentNullException.ThrowIfNull(model);
        Rating[] train = ParquetTables.ReadRatings(trainParquet);
        Rating[] test = ParquetTables.ReadRatings(testParquet);
        IReadOnlyDictionary<int, float[]>? side = model.SideWidth > 0
            ? SideFeatureEncoder.Load(model, Path.GetDirectoryName(Path.GetFullPath(trainParquet))!)
            : null;
        return Evaluate(model, train, test, side);
    }

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="test"/>, feeding it <paramref name="train"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="train">The ratings the network sees.</param>
    /// <param name="test">The ratings to predict; those whose user or movie the model cannot output are counted in <see cref="RmseResult.Skipped"/>.</param>
    /// <param name="sideFeatures">Side features by row id (user id for user-based models, movie id for item-based ones); ids without any get zeros, as in training.</param>
    /// <exception cref="ArgumentException">The training ratings do not fit the model, or the model needs side features and none were given.</exception>
    public static RmseResult Evaluate(
        RecommenderModel model, IReadOnlyList<Rating> train, IReadOnlyList<Rating> test, IReadOnlyDictionary<int, float[]>? sideFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (model.SideWidth > 0 && sideFeatures is null)
        {
            throw new ArgumentException($"this model needs {model.SideWidth} side features per row but none were given", nameof(sideFeatures));
        }

        bool userRows = model.Kind == ModelKind.UserBased;
        var pairs = new List<PairScorer.Pair>(test.Count);
        var actual = new List<float>(test.Count);
        var users = new List<int>(test.Count);
        int skipped = 0;
        foreach (Rating r in test)
        {
            (int rowId, int columnId) = userRows ? (r.UserId, r.MovieId) : (r.MovieId, r.UserId);
            if (!model.TryGetOutputIndex(columnId, out int column))
            {
                skipped++;
                continue;
            }

            pairs.Add(new PairScorer.Pair(rowId, column));
            actual.Add(r.Value);
            users.Add(r.UserId);
        }

        SparseRows rows = SparseRows.Build(model, train.Select(r => (r.UserId, r.MovieId, r.Value)), nameof(train));
        Func<int, float[]?>? side = sideFeatures is null ? null : id => sideFeatures.GetValueOrDefault(id);
        float[] predicted = PairScorer.Score(model, rows, pairs, side);
        return RmseResult.Compute(predicted, actual.ToArray(), users.ToArray(), skipped);
    }
}
