using AutoRec.Contracts;
using AutoRec.Inference.Recommenders;

namespace AutoRec.Inference;

/// <summary>Builds the <see cref="IRecommender"/> of a model, whichever its kind.</summary>
public static class Recommender
{
    /// <summary>
    /// A recommender for <paramref name="model"/>'s users. A user-based model whose graph reads ratings as given is
    /// served as factors (each training user's code computed here once, a new user's from their rated movies, and one
    /// output row per movie); one that fills unknown ratings or takes side features runs a user's ratings through the
    /// network on each call. An item-based model is served as factors: each movie's code (the last hidden layer's
    /// output for its column of <paramref name="trainingRatings"/>) is computed here once, and the output layer's
    /// weights are read from the model file, one row per user; a prediction is that row times the movie's code plus
    /// the user's bias, through the output activation, clipped (O((users + movies) x hidden) floats; ml-1m: about 20 MB).
    /// Either kind is served over its compact factors when the export wrote <c>compact.bin</c> beside the model file
    /// (see <see cref="RecommenderOptions.CompactFactors"/>).
    /// </summary>
    /// <param name="model">The model; it must outlive the recommender (user-based recommenders call it). An item-based model's file (or stream bytes) is read again here for its layers.</param>
    /// <param name="trainingRatings">The ratings the model was trained on (AutoRec.Data's <c>ParquetTables.ReadRatings("train.parquet")</c>): they say what each user rated and are the network's input. Ratings of 0 are unknown and left out.</param>
    /// <param name="catalog">Titles for recommendations, when wanted.</param>
    /// <param name="sideFeatures">Side features by row id (user id for user-based models, movie id for item-based ones), exactly when the model takes them: every user (user-based) or movie (item-based) of the training ratings needs its own.</param>
    /// <exception cref="ArgumentException">A training rating's id is not in the model or its value is invalid, or side features are missing or do not fit.</exception>
    /// <exception cref="ModelFormatException">An item-based model's file changed since it was opened, or its graph does not hold the named dense layers.</exception>
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

    /// <summary>
    /// Whether <paramref name="recommender"/> runs the model's graph through ONNX Runtime on every call for a user
    /// (a user-based model whose input is filled or takes side features): the case where batching concurrent users
    /// into one run pays. Models served as factors answer from their codes instead.
    /// </summary>
    public static bool RunsGraphPerUser(IRecommender recommender) => recommender is UserBasedRecommender { Factors: null };

    /// <summary>
    /// A recommender for a blend: each member's recommender is built here over the same
    /// <paramref name="trainingRatings"/> (see <see cref="Create(RecommenderModel, IEnumerable{Rating}, MovieCatalog?, IReadOnlyDictionary{int, float[]}?)"/>),
    /// and every prediction is clip(intercept + Σ weight_k · prediction_k) of theirs. It serves the movies of its first
    /// member (every other member must score them all) and the users every member serves by id; its similar movies are
    /// its first member's. Members that take side features are not supported.
    /// </summary>
    /// <param name="blend">The blend; it must outlive the recommender.</param>
    /// <param name="trainingRatings">The ratings the members were trained on.</param>
    /// <param name="catalog">Titles for recommendations, when wanted.</param>
    /// <exception cref="ArgumentException">A training rating does not fit a member, or a member takes side features.</exception>
    /// <exception cref="ModelFormatException">A member does not score every movie of the first, or its file changed since it was opened.</exception>
    /// <exception cref="ObjectDisposedException">The blend is disposed.</exception>
    public static IRecommender Create(BlendedModel blend, IEnumerable<Rating> trainingRatings, MovieCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(blend);
        ArgumentNullException.ThrowIfNull(trainingRatings);
        blend.ThrowIfDisposed();
        if (blend.Members.FirstOrDefault(m => m.SideWidth > 0) is RecommenderModel withSide)
        {
            throw new ArgumentException($"blend member {withSide.Source} takes side features, which a blend does not pass on", nameof(blend));
        }

        return BlendedRecommender.Create(blend, trainingRatings, catalog);
    }
}
