using System.Buffers;
using System.Collections.ObjectModel;
using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>
/// Recommends with a user-based model: a user's row is their ratings, so each call runs one row through the network
/// (known users with their training ratings, any other user with the ratings given). Immutable; thread-safe as the model is.
/// </summary>
internal sealed class UserBasedRecommender : IRecommender
{
    private readonly RecommenderModel _model;
    private readonly Dictionary<int, Dictionary<int, float>> _ratingsByUser;
    private readonly IReadOnlyDictionary<int, float[]>? _sideFeatures;
    private readonly MovieCatalog? _catalog;

    private UserBasedRecommender(
        RecommenderModel model, Dictionary<int, Dictionary<int, float>> ratingsByUser, IReadOnlyDictionary<int, float[]>? sideFeatures, MovieCatalog? catalog)
    {
        _model = model;
        _ratingsByUser = ratingsByUser;
        _sideFeatures = sideFeatures;
        _catalog = catalog;
        UserIds = Array.AsReadOnly(ratingsByUser.Keys.Order().ToArray());
    }

    /// <inheritdoc />
    public ModelKind Kind => ModelKind.UserBased;

    /// <inheritdoc />
    public IReadOnlyList<int> UserIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> MovieIds => _model.OutputIds;

    /// <inheritdoc />
    public bool CanRecommendForRatings => true;

    /// <summary>Groups and checks the training ratings by user, and checks every user's side features.</summary>
    public static UserBasedRecommender Create(
        RecommenderModel model, IEnumerable<Rating> trainingRatings, MovieCatalog? catalog, IReadOnlyDictionary<int, float[]>? sideFeatures)
    {
        var ratingsByUser = new Dictionary<int, Dictionary<int, float>>();
        foreach (Rating rating in trainingRatings)
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

        return new UserBasedRecommender(model, ratingsByUser, sideFeatures, catalog);
    }

    /// <inheritdoc />
    public bool ContainsUser(int userId) => _ratingsByUser.ContainsKey(userId);

    /// <inheritdoc />
    public bool ContainsMovie(int movieId) => _model.TryGetOutputIndex(movieId, out _);

    /// <inheritdoc />
    public float Predict(int userId, int movieId)
    {
        int column = _model.Columns.OutputOf(movieId, nameof(movieId));
        return PredictUser(userId)[column];
    }

    /// <inheritdoc />
    public float[] PredictUser(int userId) => _model.Predict(RatingsOf(userId), SideOf(userId));

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(int userId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Top(RatingsOf(userId), count, SideOf(userId));
    }

    /// <inheritdoc />
    public IReadOnlyList<Recommendation> Recommend(IReadOnlyDictionary<int, float> ratings, int count, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Top(ratings, count, side);
    }

    private IReadOnlyList<Recommendation> Top(IReadOnlyDictionary<int, float> ratings, int count, ReadOnlySpan<float> side)
    {
        // A pooled buffer: the top-N path allocates only its result.
        int width = _model.OutputWidth;
        float[] buffer = ArrayPool<float>.Shared.Rent(width);
        try
        {
            Span<float> scores = buffer.AsSpan(0, width);
            _model.PredictInto(ratings, scores, side);
            ReadOnlyCollection<int> movieIds = _model.OutputIds;
            return TopN.Select(
                movieIds, scores, index => ratings.TryGetValue(movieIds[index], out float value) && value != RecommenderModel.UnknownRating, count, _catalog);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private Dictionary<int, float> RatingsOf(int userId) =>
        _ratingsByUser.TryGetValue(userId, out Dictionary<int, float>? ratings)
            ? ratings
            : throw new ArgumentException(
                $"user {userId} has no training ratings: recommend for a new user by their ratings with Recommend(ratings, count)", nameof(userId));

    private float[]? SideOf(int userId) => _sideFeatures?[userId];
}
