using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>
/// Recommends movies to users with a model of either kind; built by <see cref="Recommender.Create"/> from the model
/// and its training ratings. Thread-safe.
/// </summary>
/// <remarks>
/// Top-N lists leave out the movies the user rated, come best first, break ties by ascending movie id, and carry
/// titles when the recommender was given a <see cref="MovieCatalog"/>. An id the recommender does not know is an
/// <see cref="ArgumentException"/> naming it: check first with <see cref="ContainsUser"/> and <see cref="ContainsMovie"/>.
/// </remarks>
public interface IRecommender
{
    /// <summary>The kind of the model behind it.</summary>
    ModelKind Kind { get; }

    /// <summary>
    /// The users served by id: for a user-based model the users of the training ratings, for an item-based one the
    /// model's users (its output ids).
    /// </summary>
    IReadOnlyList<int> UserIds { get; }

    /// <summary>
    /// The movies scored, in the order of <see cref="PredictUser"/>: for a user-based model the model's output
    /// movies, for an item-based one the movies of the training ratings, ascending.
    /// </summary>
    IReadOnlyList<int> MovieIds { get; }

    /// <summary>Whether <see cref="Recommend(IReadOnlyDictionary{int, float}, int, ReadOnlySpan{float})"/> works: true for user-based models.</summary>
    bool CanRecommendForRatings { get; }

    /// <summary>Whether <paramref name="userId"/> is in <see cref="UserIds"/>.</summary>
    bool ContainsUser(int userId);

    /// <summary>Whether <paramref name="movieId"/> is in <see cref="MovieIds"/>.</summary>
    bool ContainsMovie(int movieId);

    /// <summary>The predicted rating of <paramref name="movieId"/> by <paramref name="userId"/>.</summary>
    /// <exception cref="ArgumentException">The user or the movie is unknown.</exception>
    float Predict(int userId, int movieId);

    /// <summary>The predicted rating of every movie by <paramref name="userId"/>, in <see cref="MovieIds"/> order.</summary>
    /// <exception cref="ArgumentException">The user is unknown.</exception>
    float[] PredictUser(int userId);

    /// <summary>The <paramref name="count"/> best movies for a known user, leaving out those they rated in the training ratings.</summary>
    /// <param name="userId">A user in <see cref="UserIds"/>.</param>
    /// <param name="count">How many to return at most (0 or more).</param>
    /// <exception cref="ArgumentException">The user is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    IReadOnlyList<Recommendation> Recommend(int userId, int count);

    /// <summary>
    /// The <paramref name="count"/> best movies for a user given by their ratings (any user, seen or not),
    /// leaving out the movies in <paramref name="ratings"/> (an entry of 0 is unknown, so not left out).
    /// </summary>
    /// <param name="ratings">The user's ratings by movie id; 0 means unknown, any other value must be on the model's scale.</param>
    /// <param name="count">How many to return at most (0 or more).</param>
    /// <param name="side">The user's side features when the model takes them.</param>
    /// <exception cref="NotSupportedException">The model is item-based (<see cref="CanRecommendForRatings"/> is false).</exception>
    /// <exception cref="ArgumentException">A movie is not in the model, a rating is invalid, or the side features do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or a rating is off the scale.</exception>
    IReadOnlyList<Recommendation> Recommend(IReadOnlyDictionary<int, float> ratings, int count, ReadOnlySpan<float> side = default);
}
