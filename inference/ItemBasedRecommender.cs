using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>
/// Recommends with an item-based model. Its network reads one movie's ratings by all users, so a user's
/// predictions need every movie's row: they are computed once from the training ratings (one pass over the
/// movies) and kept as a users x movies matrix; answering a user is then a lookup. Immutable and thread-safe.
/// </summary>
internal sealed class ItemBasedRecommender : IRecommender
{
    private readonly float[] _matrix; // users x movies, row-major: a user's predictions are contiguous
    private readonly Dictionary<int, int> _userIndex;
    private readonly Dictionary<int, int> _movieIndex;
    private readonly HashSet<int>[] _ratedByUser; // movie indices each user rated in the training ratings
    private readonly MovieCatalog? _catalog;

    private ItemBasedRecommender(int[] userIds, int[] movieIds, float[] matrix, HashSet<int>[] ratedByUser, MovieCatalog? catalog)
    {
        UserIds = Array.AsReadOnly(userIds);
        MovieIds = Array.AsReadOnly(movieIds);
        _matrix = matrix;
        _ratedByUser = ratedByUser;
        _catalog = catalog;
        _userIndex = IndexOf(userIds);
        _movieIndex = IndexOf(movieIds);
    }

    /// <inheritdoc />
    public ModelKind Kind => ModelKind.ItemBased;

    /// <inheritdoc />
    public IReadOnlyList<int> UserIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> MovieIds { get; }

    /// <inheritdoc />
    public bool CanRecommendForRatings => false;

    /// <summary>Computes the predictions of every (user, movie of <paramref name="trainingRatings"/>).</summary>
    public static ItemBasedRecommender Create(
        RecommenderModel model, IEnumerable<Rating> trainingRatings, MovieCatalog? catalog, IReadOnlyDictionary<int, float[]>? sideFeatures)
    {
        Rating[] all = trainingRatings as Rating[] ?? trainingRatings.ToArray();
        SparseRows rows = SparseRows.Build(model, all, nameof(trainingRatings));
        int[] movieIds = rows.RowIds.Order().ToArray();
        int users = model.OutputWidth;
        var matrix = new float[(long)users * movieIds.Length];
        var batch = new MovieRows(model.Checks, rows, movieIds, sideFeatures, matrix, users);
        model.Session.Run(movieIds.Length, ref batch);

        Dictionary<int, int> movieIndex = IndexOf(movieIds);
        var rated = new HashSet<int>[users];
        for (int u = 0; u < users; u++)
        {
            rated[u] = [];
        }

        foreach (Rating r in all)
        {
            if (r.Value != RecommenderModel.UnknownRating && model.TryGetOutputIndex(r.UserId, out int user))
            {
                rated[user].Add(movieIndex[r.MovieId]);
            }
        }

        return new ItemBasedRecommender([.. model.OutputIds], movieIds, matrix, rated, catalog);
    }

    /// <inheritdoc />
    public bool ContainsUser(int userId) => _userIndex.ContainsKey(userId);

    /// <inheritdoc />
    public bool ContainsMovie(int movieId) => _movieIndex.ContainsKey(movieId);

    /// <inheritdoc />
    public float Predict(int userId, int movieId)
    {
        ReadOnlySpan<float> row = Row(userId);
        return _movieIndex.TryGetValue(movieId, out int movie)
            ? row[movie]
            : throw new ArgumentException(
                $"movie {movieId} has no training ratings: an item-based model predicts only the {MovieIds.Count} movies of the ratings it was given", nameof(movieId));
    }

    /// <inheritdoc />
    public float[] PredictUser(int userId) => Row(userId).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(int userId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ReadOnlySpan<float> scores = Row(userId);
        HashSet<int> rated = _ratedByUser[_userIndex[userId]];
        return TopN.Select(MovieIds, scores, rated.Contains, count, _catalog);
    }

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(IReadOnlyDictionary<int, float> ratings, int count, ReadOnlySpan<float> side = default) =>
        throw new NotSupportedException(
            "an item-based model's input is one movie's ratings by all users, not one user's ratings: it recommends only to the users " +
            "it was trained with, by id (Recommend(userId, count)); use a user-based model for new users");

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

    private static Dictionary<int, int> IndexOf(int[] ids) => ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);

    /// <summary>Each movie's row from the training ratings; its predictions go to the movie's column of the matrix.</summary>
    private readonly struct MovieRows(
        InputChecks checks, SparseRows rows, int[] movieIds, IReadOnlyDictionary<int, float[]>? sideFeatures, float[] matrix, int users) : IRowBatch
    {
        public void WriteRatings(int row, Span<float> destination) => rows.Write(movieIds[row], destination);

        public void WriteSide(int row, Span<float> destination) =>
            checks.SideOf(sideFeatures!, movieIds[row], nameof(sideFeatures)).CopyTo(destination);

        public void ReadPredictions(int row, ReadOnlySpan<float> predictions)
        {
            for (int u = 0; u < users; u++)
            {
                matrix[((long)u * movieIds.Length) + row] = predictions[u];
            }
        }
    }
}
