using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>Builds the <see cref="IRecommender"/> of a model, whichever its kind.</summary>
public static class Recommender
{
    /// <summary>
    /// A recommender for <paramref name="model"/>'s users. A user-based model runs a user's training ratings through
    /// the network on each call; an item-based model's network reads one movie's ratings by all users, so its
    /// predictions for every (user, movie) are computed here once, one pass over the movies of
    /// <paramref name="trainingRatings"/>, and kept (users x movies floats; ml-1m: about 90 MB).
    /// </summary>
    /// <param name="model">The model; it must outlive the recommender (user-based recommenders call it).</param>
    /// <param name="trainingRatings">The ratings the model was trained on (AutoRec.Data's <c>ParquetTables.ReadRatings("train.parquet")</c>): they say what each user rated and are the network's input. Ratings of 0 are unknown and left out.</param>
    /// <param name="catalog">Titles for recommendations, when wanted.</param>
    /// <param name="sideFeatures">Side features by row id (user id for user-based models, movie id for item-based ones), exactly when the model takes them: every user (user-based) or movie (item-based) of the training ratings needs its own.</param>
    /// <exception cref="ArgumentException">A training rating's id is not in the model or its value is invalid, or side features are missing or do not fit.</exception>
    /// <exception cref="ObjectDisposedException">The model is disposed.</exception>
    public static IRecommender Create(
        RecommenderModel model, IEnumerable<Rating> trainingRatings, MovieCatalog? catalog = null, IReadOnlyDictionary<int, float[]>? sideFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainingRatings);
        model.ThrowIfDisposed();
        model.Checks.CheckGiven(sideFeatures is not null, nameof(sideFeatures));
        return model.Kind == ModelKind.UserBased
            ? UserBasedRecommender.Create(model, trainingRatings, catalog, sideFeatures)
            : ItemBasedRecommender.Create(model, trainingRatings, catalog, sideFeatures);
    }
}
