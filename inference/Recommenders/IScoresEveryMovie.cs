namespace AutoRec.Inference.Recommenders;

/// <summary>
/// A recommender that predicts every one of its movies for a user given by ratings without being handed the ids:
/// what a blend asks of each member per request (looking 3,706 ids up in a dictionary per member cost more than
/// a compact member's whole fold-in).
/// </summary>
internal interface IScoresEveryMovie
{
    /// <summary>Every movie's prediction, in <see cref="IRecommender.MovieIds"/> order, for the user with <paramref name="ratings"/>, into <paramref name="destination"/>.</summary>
    void PredictAll(IReadOnlyDictionary<int, float> ratings, Span<float> destination);
}
