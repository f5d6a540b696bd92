using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;

namespace AutoRec.BuildTasks.Validation;

/// <summary>
/// Test RMSE of a model the way training computes it: each test rating is predicted from the row the network
/// sees (a user's training ratings for user-based models, a movie's for item-based ones), clipped to the scale by
/// the graph itself. Test ratings the model cannot output (a movie of a user-based model, or a user of an
/// item-based one, that it was not trained with) are counted in <see cref="RmseResult.Skipped"/>, never dropped silently.
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> on a test Parquet file given the training Parquet file as its input.</summary>
    /// <remarks>Side features, when the model takes them, are read from users.parquet or movies.parquet beside the training file.</remarks>
    /// <exception cref="DataFormatException">A file is missing or is not a ratings (users, movies) file.</exception>
    /// <exception cref="ArgumentException">The training ratings do not fit the model (an id it does not know, a rating off its scale).</exception>
    public static RmseResult Evaluate(RecommenderModel model, string trainParquet, string testParquet)
    {
        ArgumentNullException.ThrowIfNull(model);
        Rating[] train = ParquetTables.ReadRatings(trainParquet);
        Rating[] test = ParquetTables.ReadRatings(testParquet);
        return Evaluate(model, train, test, SideFeaturesBeside(model, trainParquet));
    }

    /// <summary>The model's side features from users.parquet or movies.parquet beside the training file; null when it takes none.</summary>
    internal static IReadOnlyDictionary<int, float[]>? SideFeaturesBeside(RecommenderModel model, string trainParquet) =>
        model.SideWidth > 0 ? SideFeatureFiles.Load(model, Path.GetDirectoryName(Path.GetFullPath(trainParquet))!) : null;

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="test"/>, feeding it <paramref name="train"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="train">The ratings the network sees.</param>
    /// <param name="test">The ratings to predict; those whose output id the model does not know are counted in <see cref="RmseResult.Skipped"/>.</param>
    /// <param name="sideFeatures">Side features by row id (user id for user-based models, movie id for item-based ones), exactly when the model takes them; rows without any get zeros, as in training.</param>
    /// <exception cref="ArgumentException">The training ratings do not fit the model, or side features are missing or do not fit.</exception>
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
        var accumulator = new RmseAccumulator();
        var scored = new List<Rating>(test.Count);
        var pairs = new List<(int UserId, int MovieId)>(test.Count);
        foreach (Rating rating in test)
        {
            if (!model.TryGetOutputIndex(userRows ? rating.MovieId : rating.UserId, out _))
            {
                accumulator.Skip();
                continue;
            }

            scored.Add(rating);
            pairs.Add((rating.UserId, rating.MovieId));
        }

        IReadOnlyDictionary<int, float[]>? side = sideFeatures is null
            ? null
            : WithZerosForMissing(sideFeatures, pairs.Select(p => userRows ? p.UserId : p.MovieId), model.SideWidth);
        float[] predicted = model.PredictPairs(train, pairs, side);
        for (int i = 0; i < scored.Count; i++)
        {
            accumulator.Add(scored[i].UserId, predicted[i], scored[i].Value);
        }

        return accumulator.Result();
    }

    /// <summary>
    /// <paramref name="sideFeatures"/> plus zeros for the rows that have none: training lays out an entity missing
    /// from users.parquet or movies.parquet that way, so evaluation must too (the library itself refuses a missing row).
    /// </summary>
    private static Dictionary<int, float[]> WithZerosForMissing(IReadOnlyDictionary<int, float[]> sideFeatures, IEnumerable<int> rowIds, int width)
    {
        var complete = new Dictionary<int, float[]>(sideFeatures);
        float[] zeros = new float[width];
        foreach (int rowId in rowIds)
        {
            complete.TryAdd(rowId, zeros);
        }

        return complete;
    }
}
