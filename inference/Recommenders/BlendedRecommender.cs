using System.Buffers;
using AutoRec.Contracts;
using AutoRec.Inference.Numerics;
using AutoRec.Inference.Ranking;

namespace AutoRec.Inference.Recommenders;

/// <summary>
/// Recommends with a <see cref="BlendedModel"/>: every call asks each member's own recommender (item-based members
/// answer from factors, user-based ones run the user's row) and combines their predictions as
/// clip(intercept + Σ weight_k · prediction_k). Movies are its first member's, in that member's order, and every other
/// member must score them all; users are those every member serves by id. Similar movies are its first member's.
/// Immutable; thread-safe as its members are.
/// </summary>
internal sealed class BlendedRecommender : IRecommender
{
    private readonly IRecommender[] _members;
    private readonly double[] _weights; // [intercept, w_1, ..., w_k]
    private readonly int[]?[] _columns; // per member: its index of each blend movie, null when its order is the blend's
    private readonly MovieIndex _movies;
    private readonly Dictionary<int, int> _userIndex;
    private readonly RatedMovies _rated;
    private readonly float _min;
    private readonly float _max;
    private readonly MovieCatalog? _catalog;
    private readonly BlendSupport? _support;
    private readonly double[] _movieFeatures; // per blend movie: z_m, when the weights depend on support
    private readonly MovieBlend? _movieBlend; // every movie at once, when the weights depend on support
    private readonly int[] _userRatings; // per blend user: their training ratings, for z_u

    private BlendedRecommender(
        IRecommender[] members, double[] weights, int[]?[] columns, int[] userIds, RatedMovies rated, int[] userRatings, float min, float max,
        MovieCatalog? catalog, BlendSupport? support)
    {
        _members = members;
        _weights = weights;
        _columns = columns;
        _movies = new MovieIndex(members[0].MovieIds, ": a blend scores the movies of its first member");
        UserIds = Array.AsReadOnly(userIds);
        _userIndex = new Dictionary<int, int>(userIds.Length);
        for (int u = 0; u < userIds.Length; u++)
        {
            _userIndex[userIds[u]] = u;
        }

        _rated = rated;
        _userRatings = userRatings;
        _min = min;
        _max = max;
        _catalog = catalog;
        _support = support;
        _movieFeatures = [];
        if (support is not null)
        {
            Dictionary<int, int> movieRatings = support.MovieRatingsById();
            _movieFeatures = [.. _movies.Ids.Select(id => support.MovieFeature(movieRatings.GetValueOrDefault(id)))];
            _movieBlend = support.ForMovies(weights, _movieFeatures);
        }
    }

    /// <summary>Its first member's kind: the one whose movies and similar movies it serves.</summary>
    public ModelKind Kind => _members[0].Kind;

    /// <inheritdoc />
    public IReadOnlyList<int> UserIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> MovieIds => _movies.Ids;

    /// <inheritdoc />
    public bool CanRecommendForRatings => _members.All(m => m.CanRecommendForRatings);

    /// <summary>Builds each member's recommender over the same training ratings, then lines their movies up.</summary>
    /// <exception cref="ModelFormatException">A member does not score every movie of the first member.</exception>
    public static BlendedRecommender Create(BlendedModel blend, IEnumerable<Rating> trainingRatings, MovieCatalog? catalog)
    {
        Rating[] all = trainingRatings as Rating[] ?? trainingRatings.ToArray();
        var members = new IRecommender[blend.Members.Count];
        for (int k = 0; k < members.Length; k++)
        {
            members[k] = Recommender.Create(blend.Members[k], all, catalog);
        }

        IReadOnlyList<int> movieIds = members[0].MovieIds;
        var columns = new int[]?[members.Length];
        for (int k = 1; k < members.Length; k++)
        {
            columns[k] = ColumnsOf(blend, k, members[k], movieIds);
        }

        int[] userIds = [.. members[0].UserIds.Where(id => members.All(m => m.ContainsUser(id)))];
        var users = new Dictionary<int, int>(userIds.Length);
        for (int u = 0; u < userIds.Length; u++)
        {
            users[userIds[u]] = u;
        }

        var movies = new MovieIndex(movieIds, "");
        var pairs = new List<(int User, int Movie)>(all.Length);
        var userRatings = new int[userIds.Length];
        foreach (Rating r in all)
        {
            if (r.Value != RecommenderModel.UnknownRating && users.TryGetValue(r.UserId, out int user))
            {
                userRatings[user]++;
                if (movies.TryGet(r.MovieId, out int movie))
                {
                    pairs.Add((user, movie));
                }
            }
        }

        return new BlendedRecommender(
            members, blend.Manifest.Weights, columns, userIds, RatedMovies.Build(userIds.Length, pairs), userRatings, blend.RatingMin, blend.RatingMax, catalog,
            blend.Manifest.Support);
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
        Span<float> predictions = stackalloc float[_members.Length];
        for (int k = 0; k < _members.Length; k++)
        {
            predictions[k] = _members[k].Predict(userId, movieId);
        }

        return Blend(predictions, UserFeature(_userRatings[user]), movie);
    }

    /// <inheritdoc />
    public float[] PredictPairs(IReadOnlyList<(int UserId, int MovieId)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var users = new int[pairs.Count];
        var movies = new int[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            users[i] = UserIndexOf(pairs[i].UserId);
            movies[i] = _movies.IndexOf(pairs[i].MovieId, nameof(pairs));
        }

        // As Predict(userId, movieId), pair by pair, from each member's answers for all of them at once.
        var blended = new float[pairs.Count];
        BlendEach([.. _members.Select(m => m.PredictPairs(pairs))], i => movies[i], i => UserFeature(_userRatings[users[i]]), blended);
        return blended;
    }

    /// <inheritdoc />
    public float[] PredictUser(int userId)
    {
        int user = UserIndexOf(userId);
        var scores = new float[_movies.Count];
        Combine([.. _members.Select(m => m.PredictUser(userId))], UserFeature(_userRatings[user]), scores);
        return scores;
    }

    /// <inheritdoc />
    public float[] Predict(IReadOnlyDictionary<int, float> ratings, IEnumerable<int> movieIds, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(movieIds);
        RequireRatingsSupported();
        RequireNoSide(side);
        int[] indices = _movies.IndicesOf(movieIds, nameof(movieIds));
        int[] ids = [.. indices.Select(i => _movies.Ids[i])];
        double userFeature = UserFeature(RatedCount(ratings));
        var blended = new float[ids.Length];
        BlendEach([.. _members.Select(m => m.Predict(ratings, ids))], i => indices[i], _ => userFeature, blended);
        return blended;
    }

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(int userId, RecommendationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        int user = UserIndexOf(userId);
        using MovieMask mask = _movies.Excluding(_rated.Of(user), query);
        return Top([.. _members.Select(m => m.PredictUser(userId))], UserFeature(_userRatings[user]), mask, query);
    }

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(query);
        RequireRatingsSupported();
        RequireNoSide(side);
        _movies.CheckAll(ratings.Keys, nameof(ratings));
        using var mask = new MovieMask(_movies.Count);
        foreach ((int movieId, float value) in ratings)
        {
            if (value != RecommenderModel.UnknownRating)
            {
                mask.Set(_movies.IndexOf(movieId, nameof(ratings)));
            }
        }

        _movies.Exclude(query, mask, nameof(query));
        float[][] members = PredictAll(ratings);
        try
        {
            return Top(members, UserFeature(RatedCount(ratings)), mask, query);
        }
        finally
        {
            Return(members);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SimilarMovie> SimilarMovies(int movieId, RecommendationQuery query) => _members[0].SimilarMovies(movieId, query);

    /// <summary>Every member's predictions of all its movies for the user with <paramref name="ratings"/>, each in a pooled buffer (return them).</summary>
    private float[][] PredictAll(IReadOnlyDictionary<int, float> ratings)
    {
        var predictions = new float[_members.Length][];
        try
        {
            for (int k = 0; k < _members.Length; k++)
            {
                IRecommender member = _members[k];
                int count = member.MovieIds.Count;
                predictions[k] = ArrayPool<float>.Shared.Rent(count);
                if (member is IScoresEveryMovie all)
                {
                    all.PredictAll(ratings, predictions[k].AsSpan(0, count));
                }
                else
                {
                    member.Predict(ratings, member.MovieIds).CopyTo(predictions[k], 0);
                }
            }

            return predictions;
        }
        catch
        {
            Return(predictions);
            throw;
        }
    }

    private static void Return(float[]?[] buffers)
    {
        foreach (float[]? buffer in buffers)
        {
            if (buffer is not null)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        }
    }

    private Recommendation[] Top(float[][] members, double userFeature, MovieMask mask, RecommendationQuery query)
    {
        float[] buffer = ArrayPool<float>.Shared.Rent(_movies.Count);
        try
        {
            Span<float> scores = buffer.AsSpan(0, _movies.Count);
            Combine(members, userFeature, scores);
            int[] best = TopN.Select(_movies.Ids, scores, mask.Bits, query.Filter, query.Offset, query.Count);
            return _movies.Recommendations(best, scores, _catalog);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The blend of every movie from <paramref name="members"/>[k], member k's predictions of all its movies in its
    /// own order (which <see cref="_columns"/> maps to the blend's; buffers may be longer).
    /// </summary>
    private void Combine(float[][] members, double userFeature, Span<float> scores)
    {
        if (_movieBlend is not null)
        {
            // In the blend's movie order, then all movies at once: the weights differ from movie to movie.
            var ordered = new float[_members.Length][];
            var rented = new float[]?[_members.Length];
            try
            {
                for (int k = 0; k < ordered.Length; k++)
                {
                    ordered[k] = members[k];
                    if (_columns[k] is int[] columns)
                    {
                        rented[k] = ArrayPool<float>.Shared.Rent(columns.Length);
                        for (int i = 0; i < columns.Length; i++)
                        {
                            rented[k]![i] = members[k][columns[i]];
                        }

                        ordered[k] = rented[k]!;
                    }
                }

                _movieBlend.Predict(ordered, userFeature, scores);
            }
            finally
            {
                Return(rented);
            }

            Simd.Clamp(scores, _min, _max);
            return;
        }

        scores.Fill((float)_weights[0]);
        for (int k = 0; k < _members.Length; k++)
        {
            float[] predictions = members[k];
            float weight = (float)_weights[k + 1];
            if (_columns[k] is int[] columns)
            {
                for (int i = 0; i < scores.Length; i++)
                {
                    scores[i] += weight * predictions[columns[i]];
                }
            }
            else
            {
                Simd.MultiplyAdd(predictions.AsSpan(0, scores.Length), weight, scores);
            }
        }

        Simd.Clamp(scores, _min, _max);
    }

    /// <summary>
    /// destination[i] = the blend of members[k][i] (every member's prediction of answer i, in the same order), for the
    /// blend movie <paramref name="movieOf"/>(i) and a user whose z_u is <paramref name="userFeatureOf"/>(i).
    /// </summary>
    private void BlendEach(float[][] members, Func<int, int> movieOf, Func<int, double> userFeatureOf, Span<float> destination)
    {
        Span<float> predictions = stackalloc float[members.Length];
        for (int i = 0; i < destination.Length; i++)
        {
            for (int k = 0; k < members.Length; k++)
            {
                predictions[k] = members[k][i];
            }

            destination[i] = Blend(predictions, userFeatureOf(i), movieOf(i));
        }
    }

    /// <summary>The blend of one movie (its index in the blend) from the members' <paramref name="predictions"/> of it, clipped.</summary>
    private float Blend(ReadOnlySpan<float> predictions, double userFeature, int movie)
    {
        double sum = _support is null
            ? Blending.Combine(_weights, predictions)
            : _support.Predict(_weights, predictions, userFeature, _movieFeatures[movie]);
        return Math.Clamp((float)sum, _min, _max);
    }

    /// <summary>z_u for a user with <paramref name="ratings"/> ratings (0 when the weights do not depend on support; NaN, the base weights alone, for a user lighter than the fit's).</summary>
    private double UserFeature(int ratings) => _support?.UserFeature(ratings) ?? 0;

    private static int RatedCount(IReadOnlyDictionary<int, float> ratings) => ratings.Values.Count(v => v != RecommenderModel.UnknownRating);

    private int UserIndexOf(int userId) =>
        _userIndex.TryGetValue(userId, out int user)
            ? user
            : throw new ArgumentException(
                $"user {userId} is not in the blend: it knows the {UserIds.Count} users every member serves by id" +
                (CanRecommendForRatings ? "; recommend for a new user by their ratings with Recommend(ratings, ...)" : ""),
                nameof(userId));

    /// <summary>Refuses before any member runs, as every recommender refuses users by ratings when it cannot serve them.</summary>
    private void RequireRatingsSupported()
    {
        if (_members.FirstOrDefault(m => !m.CanRecommendForRatings) is IRecommender member)
        {
            throw new NotSupportedException(
                $"a blend serves users given by their ratings only when every member can; its {member.Kind.Name()} member " +
                $"{Array.IndexOf(_members, member) + 1} cannot (an item-based model needs an identity output layer to fold a user in): recommend by user id");
        }
    }

    private static void RequireNoSide(ReadOnlySpan<float> side)
    {
        if (!side.IsEmpty)
        {
            throw new ArgumentException("a blend takes no side features", nameof(side));
        }
    }

    /// <summary>Member <paramref name="k"/>'s index of each blend movie, or null when its movies are the blend's, in order.</summary>
    private static int[]? ColumnsOf(BlendedModel blend, int k, IRecommender member, IReadOnlyList<int> movieIds)
    {
        if (member.MovieIds.SequenceEqual(movieIds))
        {
            return null;
        }

        var own = new MovieIndex(member.MovieIds, "");
        var columns = new int[movieIds.Count];
        var missing = new List<int>();
        for (int i = 0; i < columns.Length; i++)
        {
            if (!own.TryGet(movieIds[i], out columns[i]))
            {
                missing.Add(movieIds[i]);
            }
        }

        if (missing.Count > 0)
        {
            throw new ModelFormatException(
                ModelErrorCodes.BadBlend, blend.Source,
                $"member '{blend.Manifest.Members[k].Name}' does not score {missing.Count} movie(s) that '{blend.Manifest.Members[0].Name}' does " +
                $"(ids {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : "")}): were they trained on the same ratings?");
        }

        return columns;
    }
}
