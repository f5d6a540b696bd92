using AutoRec.Inference;
using AutoRec.Serving.Observability;

namespace AutoRec.Serving.Models;

/// <summary>Answers straight from the library's recommender, one request at a time.</summary>
internal sealed class LibraryAnswers(IRecommender recommender, ServingMetrics metrics) : IAnswers
{
    // A user-based recommender that runs its graph runs one network row per request; one served as factors (every
    // item-based model, most user-based ones) answers from its codes, no run.
    private readonly int _rowsPerRequest = Recommender.RunsGraphPerUser(recommender) ? 1 : 0;

    public ValueTask<IReadOnlyList<RankedMovie>> RecommendAsync(int userId, RecommendationQuery query) =>
        ValueTask.FromResult<IReadOnlyList<RankedMovie>>(Ran(RankedMovie.From(recommender.Recommend(userId, query))));

    public ValueTask<IReadOnlyList<RankedMovie>> RecommendAsync(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query) =>
        ValueTask.FromResult<IReadOnlyList<RankedMovie>>(Ran(RankedMovie.From(recommender.Recommend(ratings, query))));

    public ValueTask<float[]> PredictAsync(int userId) => ValueTask.FromResult(Ran(recommender.PredictUser(userId)));

    public ValueTask<float[]> PredictAsync(IReadOnlyDictionary<int, float> ratings, IReadOnlyList<int> movieIds) =>
        ValueTask.FromResult(Ran(recommender.Predict(ratings, movieIds)));

    private T Ran<T>(T result)
    {
        metrics.ObserveBatch(_rowsPerRequest);
        return result;
    }
}
