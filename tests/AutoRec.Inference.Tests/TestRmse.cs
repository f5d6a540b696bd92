namespace AutoRec.Inference.Tests;

/// <summary>
/// Test RMSE the way the validate stage scores a model, through the public API only: ratings whose output id the
/// model does not know are counted as skipped (found with <see cref="RecommenderModel.TryGetOutputIndex"/>), the
/// rest predicted with <see cref="RecommenderModel.PredictPairs"/> from the training ratings.
/// </summary>
internal static class TestRmse
{
    public static RmseResult Of(RecommenderModel model, IReadOnlyList<Rating> train, IReadOnlyList<Rating> test)
    {
        var accumulator = new RmseAccumulator();
        var scored = new List<Rating>();
        foreach (Rating rating in test)
        {
            int outputId = model.Kind == ModelKind.UserBased ? rating.MovieId : rating.UserId;
            if (model.TryGetOutputIndex(outputId, out _))
            {
                scored.Add(rating);
            }
            else
            {
                accumulator.Skip();
            }
        }

        float[] predicted = model.PredictPairs(train, scored.Select(r => (r.UserId, r.MovieId)).ToArray());
        for (int i = 0; i < scored.Count; i++)
        {
            accumulator.Add(scored[i].UserId, predicted[i], scored[i].Value);
        }

        return accumulator.Result();
    }
}
