using AutoRec.Contracts;
using AutoRec.Inference;

namespace AutoRec.BuildTasks.Blends;

/// <summary>What a recommender serves for a list of ratings: one <see cref="IRecommender.PredictUser"/> per user, so a user-based member runs each user's row once.</summary>
internal static class RecommenderPredictions
{
    /// <summary>The prediction of each rating's (user, movie), in order; NaN where the recommender does not know the user or the movie.</summary>
    public static float[] Of(IRecommender recommender, IReadOnlyList<Rating> ratings)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentNullException.ThrowIfNull(ratings);
        var columns = new Dictionary<int, int>(recommender.MovieIds.Count);
        for (int i = 0; i < recommender.MovieIds.Count; i++)
        {
            columns[recommender.MovieIds[i]] = i;
        }

        var predictions = new float[ratings.Count];
        Array.Fill(predictions, float.NaN);
        foreach (IGrouping<int, int> user in Enumerable.Range(0, ratings.Count).GroupBy(i => ratings[i].UserId))
        {
            if (!recommender.ContainsUser(user.Key))
            {
                continue;
            }

            float[] scores = recommender.PredictUser(user.Key);
            foreach (int i in user)
            {
                if (columns.TryGetValue(ratings[i].MovieId, out int column))
                {
                    predictions[i] = scores[column];
                }
            }
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
