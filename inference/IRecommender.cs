using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>
/// Recommends movies to users with a model of either kind; built by <see cref="Recommender.Create(RecommenderModel, IEnumerable{Rating}, MovieCatalog?, IReadOnlyDictionary{int, float[]}?)"/> from the model
/// and its training ratings. Thread-safe.
/// </summary>
/// <remarks>
/// Top-N lists leave out the movies the user rated, come best first, break ties by ascending movie id, and carry
/// titles when the recommender was given a <see cref="MovieCatalog"/>; a <see cref="RecommendationQuery"/> adds
/// paging (offset), exclusions and a filter. An id the recommender does not know is an <see cref="ArgumentException"/>
/// naming it (every one of them, where a call takes several): check first with <see cref="ContainsUser"/> and
/// <see cref="ContainsMovie"/>.
/// </remarks>
public interface IRecommender
{
    /// <summary>The kind of the model behind it.</summary>
    ModelKind Kind { get; }

    /// <summary>
    /// The users served by id: for a user-based model the users of the training ratings, for an item-based one the
    /// model's users (its output ids), for a blend those every member serves.
    /// </summary>
    IReadOnlyList<int> UserIds { get; }

    /// <summary>
    /// The movies scored, in the order of <see cref="PredictUser"/>: for a user-based model the model's output
    /// movies, for an item-based one the movies of the training ratings, ascending; for a blend its first member's.
    /// </summary>
    IReadOnlyList<int> MovieIds { get; }

    /// <summary>
    /// Whether users given by their ratings can be served (<see cref="Recommend(IReadOnlyDictionary{int, float}, RecommendationQuery, ReadOnlySpan{float})"/>,
    /// <see cref="Predict(IReadOnlyDictionary{int, float}, IEnumerable{int}, ReadOnlySpan{float})"/>): true for user-based models,
    /// and for item-based ones with a linear (identity) output layer, which fold the user in.
    /// </summary>
    bool CanRecommendForRatings { get; }

    /// <summary>Whether <paramref name="userId"/> is in <see cref="UserIds"/>.</summary>
    bool ContainsUser(int userId);

    /// <summary>Whether <paramref name="movieId"/> is in <see cref="MovieIds"/>.</summary>
    bool ContainsMovie(int movieId);

    /// <summary>The predicted rating of <paramref name="movieId"/> by <paramref name="userId"/>.</summary>
    /// <exception cref="ArgumentException">The user or the movie is unknown.</exception>
    float Predict(int userId, int movieId);

    /// <summary>
    /// The predicted rating of each known (user, movie) pair, in order, as <see cref="Predict(int, int)"/> gives it, in one
    /// pass: a model served as factors takes an inner product per pair; a user-based one that runs its graph runs each
    /// distinct user's row once, in batches. This is how a whole validation or test split is scored.
    /// </summary>
    /// <exception cref="ArgumentException">A user or a movie is unknown.</exception>
    float[] PredictPairs(IReadOnlyList<(int UserId, int MovieId)> pairs);

    /// <summary>The predicted rating of every movie by <paramref name="userId"/>, in <see cref="MovieIds"/> order.</summary>
    /// <exception cref="ArgumentException">The user is unknown.</exception>
    float[] PredictUser(int userId);

    /// <summary>
    /// The predicted ratings of <paramref name="movieIds"/> (in order) by a user given by their ratings (any user,
    /// seen or not): a user-based model encodes the ratings (its first layer at the rated movies, or the whole graph),
    /// an item-based one folds the user in.
    /// </summary>
    /// <param name="ratings">The user's ratings by movie id; 0 means unknown, any other value must be on the model's scale.</param>
    /// <param name="movieIds">Movies in <see cref="MovieIds"/>.</param>
    /// <param name="side">The user's side features when a user-based model takes them (item-based models take none here).</param>
    /// <exception cref="NotSupportedException"><see cref="CanRecommendForRatings"/> is false.</exception>
    /// <exception cref="ArgumentException">A movie is unknown (all named), a rating is invalid, or the side features do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rating is off the scale.</exception>
    float[] Predict(IReadOnlyDictionary<int, float> ratings, IEnumerable<int> movieIds, ReadOnlySpan<float> side = default);

    /// <summary>The <paramref name="count"/> best movies for a known user, leaving out those they rated in the training ratings.</summary>
    /// <param name="userId">A user in <see cref="UserIds"/>.</param>
    /// <param name="count">How many to return at most (0 or more).</param>
    /// <exception cref="ArgumentException">The user is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    IReadOnlyList<Recommendation> Recommend(int userId, int count) => Recommend(userId, RecommendationQuery.Top(count));

    /// <summary>The movies <paramref name="query"/> asks for, for a known user, leaving out those they rated in the training ratings.</summary>
    /// <param name="userId">A user in <see cref="UserIds"/>.</param>
    /// <param name="query">Count, offset, exclusions, filter.</param>
    /// <exception cref="ArgumentException">The user, or an excluded movie, is unknown.</exception>
    IReadOnlyList<Recommendation> Recommend(int userId, RecommendationQuery query);

    /// <summary>
    /// The <paramref name="count"/> best movies for a user given by their ratings (any user, seen or not),
    /// leaving out the movies in <paramref name="ratings"/> (an entry of 0 is unknown, so not left out).
    /// </summary>
    /// <param name="ratings">The user's ratings by movie id; 0 means unknown, any other value must be on the model's scale.</param>
    /// <param name="count">How many to return at most (0 or more).</param>
    /// <param name="side">The user's side features when a user-based model takes them.</param>
    /// <exception cref="NotSupportedException"><see cref="CanRecommendForRatings"/> is false.</exception>
    /// <exception cref="ArgumentException">A movie is not in the model, a rating is invalid, or the side features do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or a rating is off the scale.</exception>
    IReadOnlyList<Recommendation> Recommend(IReadOnlyDictionary<int, float> ratings, int count, ReadOnlySpan<float> side = default) =>
        Recommend(ratings, RecommendationQuery.Top(count), side);

    /// <summary>
    /// The movies <paramref name="query"/> asks for, for a user given by their ratings, leaving out the movies they
    /// rated. An item-based model folds the user in: it fits their decoder row and bias to the codes of the movies
    /// they rated (ridge regression with the model's L2), then scores every movie; with no rating at all it scores
    /// as the average trained user.
    /// </summary>
    /// <param name="ratings">The user's ratings by movie id; 0 means unknown, any other value must be on the model's scale.</param>
    /// <param name="query">Count, offset, exclusions, filter.</param>
    /// <param name="side">The user's side features when a user-based model takes them (item-based models take none here).</param>
    /// <exception cref="NotSupportedException"><see cref="CanRecommendForRatings"/> is false.</exception>
    /// <exception cref="ArgumentException">A movie is unknown (all named), a rating is invalid, or the side features do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rating is off the scale.</exception>
    IReadOnlyList<Recommendation> Recommend(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query, ReadOnlySpan<float> side = default);

    /// <summary>The <paramref name="count"/> movies most similar to <paramref name="movieId"/> (see <see cref="SimilarMovies(int, RecommendationQuery)"/>).</summary>
    /// <exception cref="ArgumentException">The movie is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    IReadOnlyList<SimilarMovie> SimilarMovies(int movieId, int count) => SimilarMovies(movieId, RecommendationQuery.Top(count));

    /// <summary>
    /// The movies most similar to <paramref name="movieId"/> by the cosine of their vectors centred on the mean
    /// vector, most similar first, leaving the movie itself out: an item-based model's movie codes (the last hidden
    /// layer's output for the movie's training ratings), a user-based model's output-layer rows (the weights that
    /// turn a user's code into the movie's prediction). Both are the movie's factor in the space the model's users
    /// live in; their common part is left out, as it never changes which movie a user prefers.
    /// </summary>
    /// <param name="movieId">A movie in <see cref="MovieIds"/>.</param>
    /// <param name="query">Count, offset, exclusions, filter.</param>
    /// <exception cref="ArgumentException">The movie, or an excluded one, is unknown.</exception>
    IReadOnlyList<SimilarMovie> SimilarMovies(int movieId, RecommendationQuery query);
}
