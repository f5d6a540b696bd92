namespace AutoRec.Inference;

/// <summary>
/// RMSE two ways, as training reports it: <see cref="Global"/> over all scored ratings (the literature's number)
/// and <see cref="UserMean"/>, the mean of per-user RMSEs. Both are NaN when nothing was scored.
/// </summary>
/// <param name="Global">RMSE over all scored ratings.</param>
/// <param name="UserMean">The mean over users of each user's RMSE.</param>
/// <param name="Count">Ratings scored.</param>
/// <param name="Skipped">Ratings not scored because their user or movie is not among the model's outputs.</param>
public sealed record RmseResult(double Global, double UserMean, int Count, int Skipped)
{
    /// <summary>Scores <paramref name="predicted"/> against <paramref name="actual"/>, grouping by <paramref name="userIds"/> (all equally long).</summary>
    internal static RmseResult Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual, ReadOnlySpan<int> userIds, int skipped)
    {
        if (predicted.IsEmpty)
        {
            return new RmseResult(double.NaN, double.NaN, 0, skipped);
        }

        double total = 0;
        var perUser = new Dictionary<int, (double Sum, int Count)>();
        for (int i = 0; i < predicted.Length; i++)
        {
            double error = (double)predicted[i] - actual[i];
            double squared = error * error;
            total += squared;
            perUser.TryGetValue(userIds[i], out var user);
            perUser[userIds[i]] = (user.Sum + squared, user.Count + 1);
        }

        double userMean = perUser.Values.Average(u => Math.Sqrt(u.Sum / u.Count));
        return new RmseResult(Math.Sqrt(total / predicted.Length), userMean, predicted.Length, skipped);
    }
}
