using System.Collections.ObjectModel;
using AutoRec.Data;

namespace AutoRec.Inference;

/// <summary>
/// Serves the users of an item-based model. Its network reads one movie's ratings by all users, so a user's
/// predictions need every movie's row: they are computed once from the training ratings (one network pass over
/// all movies) and kept as a users x movies matrix; answering a user is then a lookup. Immutable and thread-safe.
/// </summary>
public sealed class ItemBasedPredictions
{
    private readonly float[] _matrix; // users x movies, row-major: a user's predictions are contiguous
    private readonly Dictionary<int, int> _userIndex;
    private readonly Dictionary<int, int> _movieIndex;
    private readonly HashSet<int>[] _ratedByUser; // movie indices each user rated in the given ratings

    private ItemBasedPredictions(int[] userIds, int[] movieIds, float[] matrix, HashSet<int>[] ratedByUser)
    {
        UserIds = Array.AsReadOnly(userIds);
        MovieIds = Array.AsReadOnly(movieIds);
        _matrix = matrix;
        _ratedByUser = ratedByUser;
        _userIndex = userIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        _movieIndex = movieIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
    }

    /// <summary>The users served: the model's output ids.</summary>
    public ReadOnlyCollection<int> UserIds { get; }

    /// <summary>The movies predicted, ascending: every movie in the ratings plus any extra ones asked for.</summary>
    public ReadOnlyCollection<int> MovieIds { get; }

    /// <summary>Computes the predictions of an item-based <paramref name="model"/> from a ratings Parquet file (usually train.parquet).</summary>
    /// <exception cref="DataFormatException">The file is missing or is not a ratings file.</exception>
    /// <exception cref="ArgumentException">See <see cref="FromRatings"/>.</exception>
    public static ItemBasedPredictions FromParquet(
        RecommenderModel model, string ratingsParquet, IEnumerable<int>? extraMovieIds = null, IReadOnlyDictionary<int, float[]>? sideFeatures = null) =>
        FromRatings(model, ParquetTables.ReadRatings(ratingsParquet), extraMovieIds, sideFeatures);

    /// <summary>
    /// Computes the predictions of an item-based <paramref name="model"/> from <paramref name="ratings"/>. Memory is
    /// users x movies floats (ml-1m: 6,040 x 3,706, about 90 MB).
    /// </summary>
    /// <param name="model">An item-based model.</param>
    /// <param name="ratings">The ratings the network sees: the model's training split, so that predictions match training.</param>
    /// <param name="extraMovieIds">Movies to predict besides those in <paramref name="ratings"/> (their rows are all unknown).</param>
    /// <param name="sideFeatures">Side features by movie id, when the model takes them.</param>
    /// <exception cref="ArgumentException">The model is user-based, a rating's user is not in the model, a rating is invalid, or side features are missing.</exception>
    public static ItemBasedPredictions FromRatings(
        RecommenderModel model, IEnumerable<Rating> ratings, IEnumerable<int>? extraMovieIds = null, IReadOnlyDictionary<int, float[]>? sideFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ratings);
        if (model.Kind != ModelKind.ItemBased)
        {
            throw new ArgumentException("the model is user-based: predict users directly with RecommenderModel.Predict", nameof(model));
        }

        if (model.SideWidth > 0 && sideFeatures is null)
        {
            throw new ArgumentException($"this model needs {model.SideWidth} side features per movie but none were given", nameof(sideFeatures));
        }

        Rating[] all = ratings as Rating[] ?? ratings.ToArray();
        SparseRows rows = SparseRows.Build(model, all.Select(r => (r.UserId, r.MovieId, r.Value)), nameof(ratings));
        int[] movieIds = rows.RowIds.Concat(extraMovieIds ?? []).Distinct().Order().ToArray();
        int users = model.OutputWidth;
        var matrix = new float[(long)users * movieIds.Length];
        RowWriter? side = sideFeatures is null ? null : (row, destination) =>
        {
            if (!sideFeatures.TryGetValue(movieIds[row], out float[]? features))
            {
                throw new ArgumentException($"no side features given for movie {movieIds[row]}", nameof(sideFeatures));
            }

            model.CheckSide(features, nameof(sideFeatures));
            features.CopyTo(destination);
        };
        model.RunRows(
            movieIds.Length,
            (row, destination) => rows.Write(movieIds[row], destination),
            side,
            (row, output) =>
            {
                for (int u = 0; u < users; u++)
                {
                    matrix[((long)u * movieIds.Length) + row] = output[u];
                }
            });

        var movieIndex = movieIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var rated = new HashSet<int>[users];
        for (int u = 0; u < users; u++)
        {
            rated[u] = [];
        }

        foreach (Rating r in all)
        {
            if (model.TryGetOutputIndex(r.UserId, out int user))
            {
                rated[user].Add(movieIndex[r.MovieId]);
            }
        }

        return new ItemBasedPredictions(model.OutputIds.ToArray(), movieIds, matrix, rated);
    }

    /// <summary>Whether <paramref name="userId"/> is one of the model's users.</summary>
    public bool Contains(int userId) => _userIndex.ContainsKey(userId);

    /// <summary>The predicted rating of every movie by <paramref name="userId"/>, in <see cref="MovieIds"/> order.</summary>
    /// <exception cref="ArgumentException">The user is not in the model.</exception>
    public float[] PredictUser(int userId) => Row(userId).ToArray();

    /// <summary>The predicted rating of <paramref name="movieId"/> by <paramref name="userId"/>.</summary>
    /// <exception cref="ArgumentException">The user is not in the model or the movie was not predicted.</exception>
    public float Predict(int userId, int movieId) =>
        _movieIndex.TryGetValue(movieId, out int movie)
            ? Row(userId)[movie]
            : throw new ArgumentException($"movie {movieId} was not predicted: it is not in the ratings and was not asked for as an extra movie", nameof(movieId));

    /// <summary>
    /// The <paramref name="count"/> movies with the highest predicted rating for <paramref name="userId"/>,
    /// leaving out those the user rated in the ratings these predictions were built from; best first, ties by ascending movie id.
    /// </summary>
    /// <exception cref="ArgumentException">The user is not in the model.</exception>
    public IReadOnlyList<Recommendation> Recommend(int userId, int count, MovieCatalog? catalog = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ReadOnlySpan<float> scores = Row(userId);
        HashSet<int> rated = _ratedByUser[_userIndex[userId]];
        return TopN.Select(MovieIds, scores, rated.Contains, count, catalog);
    }

    private ReadOnlySpan<float> Row(int userId)
    {
        if (!_userIndex.TryGetValue(userId, out int user))
        {
            throw new ArgumentException(
                $"user {userId} is not in the model: an item-based model only predicts the {UserIds.Count} users it was trained with",
                nameof(userId));
        }

        return _matrix.AsSpan(checked(user * MovieIds.Count), MovieIds.Count);
    }
}
