using System.Buffers;
using AutoRec.Contracts;
using AutoRec.Inference.Factors;
using AutoRec.Inference.FoldIn;
using AutoRec.Inference.Network;
using AutoRec.Inference.Numerics;
using AutoRec.Inference.Ranking;
using AutoRec.Inference.Rows;

namespace AutoRec.Inference.Recommenders;

/// <summary>
/// Recommends with an item-based model served as the factorisation it is: the encoder turns each movie's training
/// column into a code c_m (the last hidden layer's output, computed once), the output layer holds one row w_u and
/// bias b_u per user, and a prediction is outputActivation(w_u·c_m + b_u) clipped to the scale, exactly what the
/// network computes. Memory is O((users + movies) x hidden), not users x movies. A new user is folded in
/// (<see cref="RidgeFoldIn"/>) when the output layer is linear. Immutable; thread-safe; per-call buffers are pooled.
/// </summary>
internal sealed class ItemBasedRecommender : IRecommender, IScoresEveryMovie
{
    private const string MovieHint = ": an item-based model scores only the movies of the training ratings it was given";

    private readonly MovieVectors _codes;
    private readonly float[] _userRows; // users x code width: the output layer's weight, one row per user
    private readonly float[] _userBias;
    private readonly float[] _meanUserRow; // the fold-in of a user without ratings: the average trained user
    private readonly float _meanUserBias;
    private readonly Activation _outputActivation;
    private readonly Dictionary<int, int> _userIndex;
    private readonly MovieIndex _movies;
    private readonly RatedMovies _rated;
    private readonly FoldInPrior _prior;
    private readonly float[]? _foldInWeights; // per movie, for masked-mse models
    private readonly InputChecks _checks;
    private readonly MovieCatalog? _catalog;

    private ItemBasedRecommender(
        MovieVectors codes, DenseLayerWeights output, int[] userIds, MovieIndex movies, RatedMovies rated, FoldInPrior prior, float[]? foldInWeights,
        InputChecks checks, MovieCatalog? catalog)
    {
        _codes = codes;
        _userRows = output.Weight;
        _userBias = output.Bias;
        _outputActivation = output.Activation;
        _movies = movies;
        _rated = rated;
        _prior = prior;
        _foldInWeights = foldInWeights;
        _checks = checks;
        _catalog = catalog;
        UserIds = Array.AsReadOnly(userIds);
        _userIndex = new Dictionary<int, int>(userIds.Length);
        for (int u = 0; u < userIds.Length; u++)
        {
            _userIndex[userIds[u]] = u;
        }

        _meanUserRow = new float[codes.Width];
        float share = 1f / Math.Max(userIds.Length, 1);
        for (int u = 0; u < userIds.Length; u++)
        {
            Simd.MultiplyAdd(UserRow(u), share, _meanUserRow);
        }

        _meanUserBias = _userBias.Sum() * share;
    }

    /// <inheritdoc />
    public ModelKind Kind => ModelKind.ItemBased;

    /// <inheritdoc />
    public IReadOnlyList<int> UserIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> MovieIds => _movies.Ids;

    /// <inheritdoc />
    public bool CanRecommendForRatings => _outputActivation == Activation.Identity;

    /// <summary>The fold-in's ridge λ and weighting, derived from the training config.</summary>
    internal FoldInPrior Prior => _prior;

    /// <summary>The fold-in as plain arrays, for the ONNX fold-in graph.</summary>
    internal FoldInProblem FoldInProblem() =>
        new([.. _movies.Ids], _codes.Values.ToArray(), _codes.Width, _foldInWeights?.ToArray(), _prior.Lambda, _checks.Min, _checks.Max);

    /// <summary>The factors as plain arrays, for the export's compaction.</summary>
    internal ModelFactors Factors() =>
        new(ModelKind.ItemBased, [.. _movies.Ids], _codes.Values.ToArray(), [.. UserIds], [.. _userRows], [.. _userBias], _codes.Width, _checks.Min, _checks.Max);

    /// <summary>Bytes held by the factors and the rated-movie lists (the dictionaries and catalog not counted).</summary>
    internal long FactorBytes => _codes.Bytes + ((_userRows.LongLength + _userBias.LongLength + _meanUserRow.LongLength) * sizeof(float)) + _rated.Bytes;

    /// <summary>Computes the movies' codes from <paramref name="trainingRatings"/> and keeps the output layer's rows.</summary>
    public static ItemBasedRecommender Create(
        RecommenderModel model,
        IEnumerable<Rating> trainingRatings,
        MovieCatalog? catalog,
        IReadOnlyDictionary<int, float[]>? sideFeatures,
        MovieCodeEncoder.Method method = MovieCodeEncoder.Method.Auto,
        FoldInPrior? prior = null)
    {
        Rating[] all = trainingRatings as Rating[] ?? trainingRatings.ToArray();
        SparseRows rows = SparseRows.Build(model, all, nameof(trainingRatings));
        int[] movieIds = rows.RowIds.Order().ToArray();
        if (sideFeatures is not null)
        {
            foreach (int movieId in movieIds)
            {
                model.Checks.SideOf(sideFeatures, movieId, nameof(sideFeatures));
            }
        }

        ModelMetadata metadata = model.Metadata;
        NetworkGraph network = NetworkGraph.Read(model.Bytes.Read(), metadata, model.Source);
        float[] codes = MovieCodeEncoder.Encode(model, network, rows, movieIds, sideFeatures, method);

        var movies = new MovieIndex(movieIds, MovieHint);
        var pairs = new List<(int User, int Movie)>(all.Length);
        foreach (Rating r in all)
        {
            if (r.Value != RecommenderModel.UnknownRating && model.TryGetOutputIndex(r.UserId, out int user))
            {
                pairs.Add((user, movies.IndexOf(r.MovieId, nameof(trainingRatings))));
            }
        }

        prior ??= FoldInPrior.From(metadata.ConfigJson, movieIds.Length, model.Source);
        float[]? weights = prior.WeightsByMovieCount
            ? movieIds.Select(id => 1f / (rows.Of(id).Count + 1)).ToArray()
            : null;
        // Compact factors where the export left them: the same inner products over the codes' principal directions.
        DenseLayerWeights output = network.Output;
        int width = network.CodeWidth;
        if (CompactBasisLookup.For(model, width) is { } basis)
        {
            codes = basis.ProjectCodes(codes);
            float[] bias = [.. output.Bias];
            output = output with { Inputs = basis.Rank, Weight = basis.ProjectRows(output.Weight, bias), Bias = bias };
            width = basis.Rank;
        }

        return new ItemBasedRecommender(
            new MovieVectors(codes, movieIds.Length, width), output, [.. model.OutputIds], movies,
            RatedMovies.Build(model.OutputWidth, pairs), prior, weights, model.Checks, catalog);
    }

    /// <inheritdoc />
    public bool ContainsUser(int userId) => _userIndex.ContainsKey(userId);

    /// <inheritdoc />
    public bool ContainsMovie(int movieId) => _movies.Contains(movieId);

    /// <inheritdoc />
    public float Predict(int userId, int movieId)
    {
        int user = UserIndexOf(userId);
        int movie = _movies.IndexOf(movieId, nameof(movieId));
        return Finish(Simd.Dot(_codes.Row(movie), UserRow(user)) + _userBias[user]);
    }

    /// <inheritdoc />
    public float[] PredictPairs(IReadOnlyList<(int UserId, int MovieId)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var predictions = new float[pairs.Count];
        for (int i = 0; i < predictions.Length; i++)
        {
            predictions[i] = Predict(pairs[i].UserId, pairs[i].MovieId);
        }

        return predictions;
    }

    /// <inheritdoc />
    public float[] PredictUser(int userId)
    {
        int user = UserIndexOf(userId);
        var scores = new float[_movies.Count];
        Score(UserRow(user), _userBias[user], scores);
        return scores;
    }

    /// <inheritdoc />
    public float[] Predict(IReadOnlyDictionary<int, float> ratings, IEnumerable<int> movieIds, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(movieIds);
        int[] indices = _movies.IndicesOf(movieIds, nameof(movieIds));
        using FoldedUser user = FoldIn(ratings, side);
        var predictions = new float[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            predictions[i] = Finish(Simd.Dot(_codes.Row(indices[i]), user.Row) + user.Bias);
        }

        return predictions;
    }

    /// <inheritdoc />
    public void PredictAll(IReadOnlyDictionary<int, float> ratings, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        using FoldedUser user = FoldIn(ratings, default);
        Score(user.Row, user.Bias, destination[.._movies.Count]);
    }

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(int userId, RecommendationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        int user = UserIndexOf(userId);
        using MovieMask mask = _movies.Excluding(_rated.Of(user), query);
        return Top(UserRow(user), _userBias[user], mask, query);
    }

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(query);
        using FoldedUser user = FoldIn(ratings, side);
        using MovieMask mask = _movies.Excluding(user.Rated, query);
        return Top(user.Row, user.Bias, mask, query);
    }

    /// <inheritdoc />
    public IReadOnlyList<SimilarMovie> SimilarMovies(int movieId, RecommendationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _codes.MostSimilar(_movies, movieId, query, _catalog);
    }

    private Recommendation[] Top(ReadOnlySpan<float> row, float bias, MovieMask mask, RecommendationQuery query)
    {
        float[] buffer = ArrayPool<float>.Shared.Rent(_movies.Count);
        try
        {
            Span<float> scores = buffer.AsSpan(0, _movies.Count);
            Score(row, bias, scores);
            int[] best = TopN.Select(_movies.Ids, scores, mask.Bits, query.Filter, query.Offset, query.Count);
            return _movies.Recommendations(best, scores, _catalog);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Every movie's prediction for the user with decoder row <paramref name="row"/> and bias <paramref name="bias"/>.</summary>
    private void Score(ReadOnlySpan<float> row, float bias, Span<float> scores)
    {
        _codes.Scores(row, bias, scores);
        if (_outputActivation != Activation.Identity)
        {
            ActivationMath.Apply(_outputActivation, scores);
        }

        // Clip as the graph does, after the activation.
        Simd.Clamp(scores, _checks.Min, _checks.Max);
    }

    private float Finish(float linear) => Math.Clamp(_outputActivation.Apply(linear), _checks.Min, _checks.Max);

    private ReadOnlySpan<float> UserRow(int user) => _userRows.AsSpan(user * _codes.Width, _codes.Width);

    private int UserIndexOf(int userId) =>
        _userIndex.TryGetValue(userId, out int user)
            ? user
            : throw new ArgumentException(
                $"user {userId} is not in the model: an item-based model knows the {UserIds.Count} users it was trained with" +
                (CanRecommendForRatings ? "; recommend for a new user by their ratings with Recommend(ratings, ...)" : ""),
                nameof(userId));

    /// <summary>Fits a new user's decoder row and bias to the codes of the movies they rated.</summary>
    private FoldedUser FoldIn(IReadOnlyDictionary<int, float> ratings, ReadOnlySpan<float> side)
    {
        if (!CanRecommendForRatings)
        {
            throw new NotSupportedException(
                $"this item-based model's output activation is {_outputActivation.Name()}: folding in a new user needs a linear (identity) " +
                "output layer; it recommends only to the users it was trained with, by id (Recommend(userId, ...))");
        }

        if (!side.IsEmpty)
        {
            throw new ArgumentException("an item-based model's side features describe movies: a user given by ratings takes none", nameof(side));
        }

        _movies.CheckAll(ratings.Keys, nameof(ratings)); // ids first, as everywhere: an unknown id is refused even with a rating of 0
        var user = new FoldedUser(ratings.Count, _codes.Width);
        try
        {
            int n = 0;
            foreach ((int movieId, float value) in ratings)
            {
                if (_checks.IsKnown("movie", movieId, value, nameof(ratings)))
                {
                    int movie = _movies.IndexOf(movieId, nameof(ratings));
                    user.Movies[n] = movie;
                    user.Values[n] = value;
                    user.Weights[n] = _foldInWeights?[movie] ?? 1f;
                    n++;
                }
            }

            user.Count = n;
            if (n == 0)
            {
                // Nothing to fit: the average trained user (the unregularised bias has no data to pin it).
                _meanUserRow.CopyTo(user.Row);
                user.Bias = _meanUserBias;
            }
            else
            {
                user.Bias = RidgeFoldIn.Solve(
                    _codes, user.Movies.AsSpan(0, n), user.Values.AsSpan(0, n), _foldInWeights is null ? default : user.Weights.AsSpan(0, n), _prior.Lambda, user.Row);
            }

            return user;
        }
        catch
        {
            user.Dispose();
            throw;
        }
    }

    /// <summary>A folded-in user: their decoder row and bias, and the movies they rated; pooled buffers, returned on dispose.</summary>
    private sealed class FoldedUser : IDisposable
    {
        private readonly float[] _row;
        private readonly int _width;

        public FoldedUser(int ratings, int width)
        {
            int length = Math.Max(ratings, 1);
            Movies = ArrayPool<int>.Shared.Rent(length);
            Values = ArrayPool<float>.Shared.Rent(length);
            Weights = ArrayPool<float>.Shared.Rent(length);
            _row = ArrayPool<float>.Shared.Rent(width);
            _width = width;
        }

        public int[] Movies { get; }

        public float[] Values { get; }

        public float[] Weights { get; }

        public int Count { get; set; }

        public float Bias { get; set; }

        public Span<float> Row => _row.AsSpan(0, _width);

        public ReadOnlySpan<int> Rated => Movies.AsSpan(0, Count);

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(Movies);
            ArrayPool<float>.Shared.Return(Values);
            ArrayPool<float>.Shared.Return(Weights);
            ArrayPool<float>.Shared.Return(_row);
        }
    }
}
