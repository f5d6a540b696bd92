using AutoRec.Data;
using AutoRec.Training.Data;

namespace AutoRec.Training.Training;

/// <summary>RMSE two ways: over all ratings (the literature's number) and the mean of per-user RMSEs (the seed report's).</summary>
public readonly record struct RmseMetrics(double Global, double UserMean, int Count)
{
    /// <summary>
    /// Scores <paramref name="predictions"/> (rows x <paramref name="columns"/>, row-major) at <paramref name="ratings"/>,
    /// each prediction clipped to <paramref name="scale"/>.
    /// </summary>
    public static RmseMetrics Compute(ReadOnlySpan<float> predictions, int columns, IReadOnlyList<HeldOutRating> ratings, RatingScale scale)
    {
        if (ratings.Count == 0)
        {
            return new RmseMetrics(double.NaN, double.NaN, 0);
        }

        double total = 0;
        var perUser = new Dictionary<int, (double Sum, int Count)>();
        foreach (HeldOutRating r in ratings)
        {
            float predicted = Math.Clamp(predictions[checked((int)(((long)r.Row * columns) + r.Column))], scale.Min, scale.Max);
            double error = (double)predicted - r.Value;
            double squared = error * error;
            total += squared;
            perUser.TryGetValue(r.UserId, out var user);
            perUser[r.UserId] = (user.Sum + squared, user.Count + 1);
        }

        double userMean = perUser.Values.Average(u => Math.Sqrt(u.Sum / u.Count));
        return new RmseMetrics(Math.Sqrt(total / ratings.Count), userMean, ratings.Count);
    }
}
