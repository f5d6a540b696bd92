using System.Buffers;
using AutoRec.Contracts;
using AutoRec.Inference.Network;
using AutoRec.Inference.Ranking;
using AutoRec.Inference.Rows;

namespace AutoRec.Inference.Recommenders;

/// <summary>
/// Recommends with a user-based model: a user's row is their ratings. Served as factors where the graph allows
/// (<see cref="UserFactors"/>: known users' codes computed once, a new user's from the ratings given, over the compact
/// basis when the export wrote one); otherwise each call runs one row through the network (known users with their
/// training ratings, any other user with the ratings given). Similar movies compare the output layer's rows, one per
/// movie, read from the model file on first use. Immutable; thread-safe as the model is.
/// </summary>
internal sealed class UserBasedRecommender : IRecommender, IScoresEveryMovie
{
    private const int PairChunk = 512;

    private readonly RecommenderModel _model;
    private readonly Dictionary<int, Dictionary<int, float>>? _ratingsByUser; // null when served as factors
    private readonly RatedMovies? _rated; // served as factors: each known user's rated movies (indices in _movies)
    private readonly IReadOnlyDictionary<int, float[]>? _sideFeatures;
    private readonly MovieCatalog? _catalog;
    private readonly MovieIndex _movies;
    private readonly UserFactors? _factors; // null: every call runs the graph
    private readonly Dictionary<int, int> _userNumbers; // user id -> position in UserIds (and in the factors' codes)
    private readonly object _vectorsLock = new();
    private volatile MovieVectors? _vectors;

    private UserBasedRecommender(
        RecommenderModel model, Dictionary<int, Dictionary<int, float>> ratingsByUser, IReadOnlyDictionary<int, float[]>? sideFeatures, MovieCatalog? catalog,
        int[] userIds, UserFactors? factors)
    {
        _model = model;
        _sideFeatures = sideFeatures;
        _catalog = catalog;
        _movies = new MovieIndex(model.OutputIds, "");
        UserIds = Array.AsReadOnly(userIds);
        _factors = factors;
        _userNumbers = new Dictionary<int, int>(userIds.Length);
        for (int u = 0; u < userIds.Length; u++)
        {
            _userNumbers[userIds[u]] = u;
        }

        if (factors is null)
        {
            _ratingsByUser = ratingsByUser;
            return;
        }

        // Served as factors, the ratings themselves are never read again: only which movies each user rated (what
        // their recommendations leave out), 4 bytes a rating (ML-1M's user member: 65.2 -> 44.0 MiB held).
        var pairs = new List<(int User, int Movie)>(ratingsByUser.Sum(user => user.Value.Count));
        foreach ((int userId, Dictionary<int, float> ratings) in ratingsByUser)
        {
            foreach (int movieId in ratings.Keys)
            {
                if (_movies.TryGet(movieId, out int index))
                {
                    pairs.Add((_userNumbers[userId], index));
                }
            }
        }

        _rated = RatedMovies.Build(userIds.Length, pairs);
    }

    /// <summary>The factors served from, or null when every call runs the graph (a filled input, side features).</summary>
    internal UserFactors? Factors => _factors;

    /// <inheritdoc />
    public ModelKind Kind => ModelKind.UserBased;

    /// <inheritdoc />
    public IReadOnlyList<int> UserIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> MovieIds => _model.OutputIds;

    /// <inheritdoc />
    public bool CanRecommendForRatings => true;

    /// <summary>
    /// Groups and checks the training ratings by user, checks every user's side features, and computes the users'
    /// codes when the model can be served as factors (<see cref="UserFactors"/>; <paramref name="factors"/> false: never).
    /// </summary>
    public static UserBasedRecommender Create(
        RecommenderModel model, IEnumerable<Rating> trainingRatings, MovieCatalog? catalog, IReadOnlyDictionary<int, float[]>? sideFeatures, bool factors = true)
    {
        Rating[] all = trainingRatings as Rating[] ?? [.. trainingRatings];
        var ratingsByUser = new Dictionary<int, Dictionary<int, float>>();
        foreach (Rating rating in all)
        {
            _ = model.Columns.InputOf(rating.MovieId, nameof(trainingRatings)); // a movie the model does not know is refused, whatever the rating
            if (!model.Checks.IsKnown(rating.MovieId, rating.Value, nameof(trainingRatings)))
            {
                continue;
            }

            if (!ratingsByUser.TryGetValue(rating.UserId, out Dictionary<int, float>? ratings))
            {
                ratings = [];
                ratingsByUser[rating.UserId] = ratings;
            }

            ratings[rating.MovieId] = rating.Value;
        }

        if (sideFeatures is not null)
        {
            foreach (int userId in ratingsByUser.Keys)
            {
                model.Checks.SideOf(sideFeatures, userId, nameof(sideFeatures));
            }
        }

        int[] userIds = [.. ratingsByUser.Keys.Order()];
        UserFactors? served = factors && sideFeatures is null ? UserFactors.Create(model, SparseRows.Build(model, all, nameof(trainingRatings)), userIds) : null;
        return new UserBasedRecommender(model, ratingsByUser, sideFeatures, catalog, userIds, served);
    }

    /// <inheritdoc />
    public bool ContainsUser(int userId) => _userNumbers.ContainsKey(userId);

    /// <inheritdoc />
    public bool ContainsMovie(int movieId) => _model.TryGetOutputIndex(movieId, out _);

    /// <inheritdoc />
    public float Predict(int userId, int movieId)
    {
        int column = _model.Columns.OutputOf(movieId, nameof(movieId));
        return _factors is not null ? _factors.PredictKnown(NumberOf(userId), column) : PredictUser(userId)[column];
    }

    /// <inheritdoc />
    public float[] PredictPairs(IReadOnlyList<(int UserId, int MovieId)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var columns = new int[pairs.Count];
        var pairsOfUser = new Dictionary<int, List<int>>();
        for (int i = 0; i < pairs.Count; i++)
        {
            (int userId, int movieId) = pairs[i];
            ThrowIfUnknown(userId);
            columns[i] = _model.Columns.OutputOf(movieId, nameof(pairs));
            if (!pairsOfUser.TryGetValue(userId, out List<int>? indices))
            {
                indices = [];
                pairsOfUser[userId] = indices;
            }

            indices.Add(i);
        }

        var predictions = new float[pairs.Count];
        if (_factors is not null)
        {
            for (int i = 0; i < predictions.Length; i++)
            {
                predictions[i] = _factors.PredictKnown(_userNumbers[pairs[i].UserId], columns[i]);
            }

            return predictions;
        }

        // Users in chunks, so the rows in flight stay a few megabytes however many users the pairs name.
        foreach (KeyValuePair<int, List<int>>[] chunk in pairsOfUser.Chunk(PairChunk))
        {
            float[][] rows = _model.PredictBatch(
                [.. chunk.Select(user => (IReadOnlyDictionary<int, float>)RatingsOf(user.Key))],
                _sideFeatures is null ? null : [.. chunk.Select(user => _sideFeatures[user.Key])]);
            for (int u = 0; u < chunk.Length; u++)
            {
                foreach (int i in chunk[u].Value)
                {
                    predictions[i] = rows[u][columns[i]];
                }
            }
        }

        return predictions;
    }

    /// <inheritdoc />
    public float[] PredictUser(int userId)
    {
        if (_factors is null)
        {
            return _model.Predict(RatingsOf(userId), SideOf(userId));
        }

        var scores = new float[_movies.Count];
        _factors.ScoreKnown(NumberOf(userId), scores);
        return scores;
    }

    /// <inheritdoc />
    public float[] Predict(IReadOnlyDictionary<int, float> ratings, IEnumerable<int> movieIds, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(movieIds);
        int[] indices = _movies.IndicesOf(movieIds, nameof(movieIds));
        float[] buffer = ArrayPool<float>.Shared.Rent(_movies.Count);
        try
        {
            Span<float> scores = buffer.AsSpan(0, _movies.Count);
            ScoreInto(ratings, scores, side);
            var predictions = new float[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                predictions[i] = scores[indices[i]];
            }

            return predictions;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public void PredictAll(IReadOnlyDictionary<int, float> ratings, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ScoreInto(ratings, destination[.._movies.Count], default);
    }

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(int userId, RecommendationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _factors is null ? Top(RatingsOf(userId), query, SideOf(userId), -1) : Top(null, query, default, NumberOf(userId));
    }

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(query);
        return Top(ratings, query, side, -1);
    }

    /// <inheritdoc />
    public IReadOnlyList<SimilarMovie> SimilarMovies(int movieId, RecommendationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _ = _movies.IndexOf(movieId, nameof(movieId)); // an unknown id is refused before the vectors are computed
        return Vectors().MostSimilar(_movies, movieId, query, _catalog);
    }

    /// <summary>The top of <paramref name="ratings"/>' user through <see cref="ScoreInto"/>, or of known user number <paramref name="knownUser"/> from their code when served as factors (ratings null).</summary>
    private Recommendation[] Top(IReadOnlyDictionary<int, float>? ratings, RecommendationQuery query, ReadOnlySpan<float> side, int knownUser)
    {
        // Pooled buffers: the top-N path allocates only its result.
        int width = _movies.Count;
        float[] buffer = ArrayPool<float>.Shared.Rent(width);
        try
        {
            Span<float> scores = buffer.AsSpan(0, width);
            using var mask = new MovieMask(width);
            if (ratings is null)
            {
                _factors!.ScoreKnown(knownUser, scores);
                foreach (int index in _rated!.Of(knownUser))
                {
                    mask.Set(index);
                }
            }
            else
            {
                ScoreInto(ratings, scores, side);
                foreach ((int movieId, float value) in ratings)
                {
                    // Checked by PredictInto: every id is a movie of the model.
                    if (value != RecommenderModel.UnknownRating && _movies.TryGet(movieId, out int index))
                    {
                        mask.Set(index);
                    }
                }
            }

            _movies.Exclude(query, mask, nameof(query));
            int[] best = TopN.Select(_movies.Ids, scores, mask.Bits, query.Filter, query.Offset, query.Count);
            return _movies.Recommendations(best, scores, _catalog);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The output layer's rows, one per movie: a user-based prediction is outputActivation(v_m·h_u + b_m) with h_u
    /// the user's code, so v_m is the movie's factor in the same space as an item-based model's codes.
    /// </summary>
    private MovieVectors Vectors()
    {
        if (_vectors is MovieVectors vectors)
        {
            return vectors;
        }

        lock (_vectorsLock)
        {
            // Not a Lazy<T>: a failure (the file changed, say) is thrown to this caller and retried by the next.
            if (_vectors is null)
            {
                _model.ThrowIfDisposed();
                NetworkGraph network = NetworkGraph.Read(_model.Bytes.Read(), _model.Metadata, _model.Source);
                _vectors = new MovieVectors(network.Output.Weight, network.Output.Outputs, network.Output.Inputs);
            }

            return _vectors;
        }
    }

    /// <summary>Every movie's prediction for a user given by ratings: from the factors when served so (no side features), else the graph.</summary>
    private void ScoreInto(IReadOnlyDictionary<int, float> ratings, Span<float> scores, ReadOnlySpan<float> side)
    {
        if (_factors is not null && side.IsEmpty)
        {
            _model.ThrowIfDisposed();
            _factors.ScoreNew(ratings, scores, nameof(ratings));
        }
        else
        {
            _model.PredictInto(ratings, scores, side);
        }
    }

    private int NumberOf(int userId)
    {
        _model.ThrowIfDisposed(); // served as factors or not, the recommender lives no longer than its model
        ThrowIfUnknown(userId);
        return _userNumbers[userId];
    }

    /// <summary>A known user's training ratings (only kept when every call runs the graph).</summary>
    private Dictionary<int, float> RatingsOf(int userId)
    {
        ThrowIfUnknown(userId);
        return _ratingsByUser![userId];
    }

    private void ThrowIfUnknown(int userId)
    {
        if (!_userNumbers.ContainsKey(userId))
        {
            throw new ArgumentException(
                $"user {userId} has no training ratings: recommend for a new user by their ratings with Recommend(ratings, count)", nameof(userId));
        }
    }

    private float[]? SideOf(int userId) => _sideFeatures?[userId];
}
