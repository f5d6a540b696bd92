using AutoRec.Inference;

namespace AutoRec.Serving.Models;

/// <summary>
/// How a generation answers the requests that need the model: straight from the library's recommender
/// (<see cref="LibraryAnswers"/>), or with user-based network rows batched across requests (<see cref="BatchedAnswers"/>).
/// Inputs are checked by the caller against the generation first.
/// </summary>
internal interface IAnswers
{
    ValueTask<IReadOnlyList<RankedMovie>> RecommendAsync(int userId, RecommendationQuery query);

    ValueTask<IReadOnlyList<RankedMovie>> RecommendAsync(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query);

    /// <summary>A known user's predicted rating of every movie, in <see cref="IRecommender.MovieIds"/> order.</summary>
    ValueTask<float[]> PredictAsync(int userId);

    /// <summary>Anyone's predicted ratings of <paramref name="movieIds"/>, in order.</summary>
    ValueTask<float[]> PredictAsync(IReadOnlyDictionary<int, float> ratings, IReadOnlyList<int> movieIds);
}

/// <summary>A recommended movie and its predicted rating; titles and genres are added when answering.</summary>
internal readonly record struct RankedMovie(int MovieId, float Score)
{
    public static RankedMovie[] From(IReadOnlyList<Recommendation> recommendations)
    {
        var ranked = new RankedMovie[recommendations.Count];
        for (int i = 0; i < ranked.Length; i++)
        {
            ranked[i] = new RankedMovie(recommendations[i].MovieId, recommendations[i].Score);
        }

        return ranked;
    }
}
