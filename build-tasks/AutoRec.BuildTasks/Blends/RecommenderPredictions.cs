using AutoRec.Contracts;
using AutoRec.Inference;

namespace AutoRec.BuildTasks.Blends;

/// <summary>What a recommender serves for a list of ratings, scored in one pass (<see cref="IRecommender.PredictPairs"/>: a user-based member runs each user's row once, in batches).</summary>
internal static class RecommenderPredictions
{
    /// <summary>The prediction of each rating's (user, movie), in order; NaN where the recommender does not know the user or the movie.</summary>
    public static float[] Of(IRecommender recommender, IReadOnlyList<Rating> ratings)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentNullException.ThrowIfNull(ratings);
        var known = new List<int>(ratings.Count);
        for (int i = 0; i < ratings.Count; i++)
        {
            if (recommender.ContainsUser(ratings[i].UserId) && recommender.ContainsMovie(ratings[i].MovieId))
            {
                known.Add(i);
            }
        }

        float[] served = recommender.PredictPairs([.. known.Select(i => (ratings[i].UserId, ratings[i].MovieId))]);
        var predictions = new float[ratings.Count];
        Array.Fill(predictions, float.NaN);
        for (int k = 0; k < known.Count; k++)
        {
            predictions[known[k]] = served[k];
        }

        return predictions;
    }

    /// <summary>The RMSEs of <paramref name="predictions"/> against <paramref name="ratings"/>; NaN predictions are counted as skipped.</summary>
    public static RmseResult Score(IReadOnlyList<Rating> ratings, float[] predictions)
    {
        var rmse = new RmseAccumulator();
        for (int i = 0; i < ratings.Count; i++)
        {
            if (float.IsNaN(predictions[i]))
            {
                rmse.Skip();
            }
            else
            {
                rmse.Add(ratings[i].UserId, predictions[i], ratings[i].Value);
            }
        }

        return rmse.Result();
    }
}
